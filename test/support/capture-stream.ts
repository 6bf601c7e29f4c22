import { Writable } from "node:stream";

/** A real writable stream that keeps what a command wrote, for `main([...], { stdout, stderr })`. */
export class CaptureStream extends Writable {
  private readonly chunks: Buffer[] = [];

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    done();
  }

  get text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}
