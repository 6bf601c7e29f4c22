export const LLM_PROVIDERS = ["openai", "anthropic", "ollama"] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

/**
 * The optional LLM classifier (the app builds it from the LLM_* variables in `config.ts`); any
 * OpenAI-compatible endpoint (self-hosted, DeepSeek, Qwen) works through `openai` + `baseUrl`.
 */
export interface LlmOptions {
  provider: LlmProvider;
  model: string;
  /** API root, e.g. `http://127.0.0.1:8000/v1` for an OpenAI-compatible server or `http://127.0.0.1:11434` for Ollama. */
  baseUrl?: string;
  /** Required by OpenAI's and Anthropic's own endpoints; local servers usually take any value. */
  apiKey?: string;
  /** Whole-request timeout; past it the local answer stands. */
  timeoutMs: number;
  /** Consecutive failures that stop LLM calls, and for how long; default 3 failures, 60 s. */
  breaker?: { failures: number; cooldownMs: number };
}

export const DEFAULT_BREAKER = { failures: 3, cooldownMs: 60_000 } as const;
