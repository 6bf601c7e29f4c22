/** Reads server-sent events from a fetch Response, the way EventSource parses them. */
export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

export function sseReader(response: Response) {
  if (!response.body) throw new Error("no body");
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const comments: string[] = [];

  async function next(timeoutMs = 5000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = takeEvent();
      if (event) return event;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
      const chunk = await Promise.race([reader.read(), new Promise<"timeout">((r) => setTimeout(() => r("timeout"), left))]);
      if (chunk === "timeout") throw new Error(`no event within ${timeoutMs} ms`);
      if (chunk.done) throw new Error("stream ended");
      buffer += chunk.value;
    }
  }

  function takeEvent(): SseEvent | undefined {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end < 0) return undefined;
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: SseEvent = { event: "message", data: "" };
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) comments.push(line.slice(1).trim());
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        else if (line.startsWith("event:")) event.event = line.slice(6).trim();
        else if (line.startsWith("id:")) event.id = line.slice(3).trim();
      }
      if (data.length > 0) return { ...event, data: data.join("\n") };
    }
  }

  /** Resolves when the server ends the stream (rejects after the timeout). */
  async function ended(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("stream still open");
      // A clean end and a cut connection both mean the server let go of the stream.
      const chunk = await Promise.race([
        reader.read().catch(() => ({ done: true as const, value: undefined })),
        new Promise<"timeout">((r) => setTimeout(() => r("timeout"), left)),
      ]);
      if (chunk === "timeout") throw new Error("stream still open");
      if (chunk.done) return;
      buffer += chunk.value;
    }
  }

  return { next, ended, comments, cancel: () => reader.cancel().catch(() => {}) };
}
