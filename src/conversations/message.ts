import type { Language } from "../domain/intent.ts";

export const CHANNELS = ["web", "console", "telegram", "slack"] as const;
export type Channel = (typeof CHANNELS)[number];

/** What every channel adapter turns a platform update into. */
export interface InboundMessage {
  channel: Channel;
  /** The person's id on the channel. */
  userId: string;
  /** Where replies go; equals userId on one-to-one channels. */
  chatId: string;
  /** Text typed, or the value of a button pressed. */
  text: string;
  /** The platform's update id; a second delivery of the same id is ignored. */
  updateId?: string;
  /** Language the channel knows (client locale), a hint only. */
  language?: Language;
  receivedAt: Date;
}

export interface Button {
  label: string;
  /** Sent back as the message text when pressed. */
  value: string;
}

export interface Reply {
  text: string;
  buttons?: Button[];
}

export type DispatchResult =
  | { kind: "replied"; replies: Reply[] }
  /** The same platform update arrived before; nothing was done again. The replies are the ones sent then. */
  | { kind: "duplicate"; replies: Reply[] }
  /** An agent leads (or is being waited for); the message was stored for them and the bot stays quiet. */
  | { kind: "agent_leads"; replies: Reply[] };

/** The one entry point every channel calls. */
export interface Dispatcher {
  handle(message: InboundMessage): Promise<DispatchResult>;
}

/** Messages owed to a person outside a request/response cycle (agent replies, follow-ups), durable until delivered. */
export interface OutboundQueue {
  /** Undelivered replies for one chat, oldest first. */
  pending(channel: Channel, chatId: string): Promise<{ id: string; reply: Reply; createdAt: string }[]>;
  markDelivered(ids: string[]): Promise<void>;
  /** Resolves when something new may be waiting for this chat (in-process hint; callers also poll). */
  waitForNew(channel: Channel, chatId: string, signal: AbortSignal): Promise<void>;
}
