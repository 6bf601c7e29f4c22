import type { z } from "zod";
import type { LlmOptions } from "./llm-options.ts";

// Only the slice of LangChain this module uses, so nothing else depends on its types.

/** One chat message as LangChain accepts it: a role and the text. */
export type ChatTuple = ["system" | "human", string];

export interface StructuredRunnable<T> {
  invoke(messages: ChatTuple[], config?: { signal?: AbortSignal }): Promise<T>;
}

export interface StructuredChatModel {
  withStructuredOutput<S extends z.ZodType>(schema: S, config?: { name?: string }): StructuredRunnable<z.infer<S>>;
}

/**
 * Builds the LangChain chat model for a provider. The provider package is imported on first use,
 * so the app starts (and the local classifier works) without loading any of them.
 */
export async function createChatModel(options: LlmOptions): Promise<StructuredChatModel> {
  // Retries would stack on the timeout; the circuit breaker handles repeated failures.
  const common = { model: options.model, maxRetries: 0, temperature: 0 };
  switch (options.provider) {
    case "openai": {
      const { ChatOpenAI } = await import("@langchain/openai");
      return new ChatOpenAI({
        ...common,
        // Local OpenAI-compatible servers take any key, but the client refuses to start without one.
        apiKey: options.apiKey ?? "not-needed",
        timeout: options.timeoutMs,
        ...(options.baseUrl ? { configuration: { baseURL: options.baseUrl } } : {}),
      }) as unknown as StructuredChatModel;
    }
    case "anthropic": {
      const { ChatAnthropic } = await import("@langchain/anthropic");
      return new ChatAnthropic({
        ...common,
        apiKey: options.apiKey,
        ...(options.baseUrl ? { anthropicApiUrl: options.baseUrl } : {}),
      }) as unknown as StructuredChatModel;
    }
    case "ollama": {
      const { ChatOllama } = await import("@langchain/ollama");
      const { maxRetries: _unused, ...ollama } = common;
      return new ChatOllama({ ...ollama, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) }) as unknown as StructuredChatModel;
    }
  }
}
