import { join } from "node:path";
import { type Classification, type DetectedLanguage, type Entities, emptyEntities, type IntentName } from "../../src/domain/intent.ts";
import type { TicketStatus, TicketType } from "../../src/domain/ticket.ts";
import type { FlowSet } from "../../src/flow-engine/definition.ts";
import { advance, type ConversationState, type EngineContext, type EngineEvent, type Outcome } from "../../src/flow-engine/engine.ts";
import { loadFlows } from "../../src/flow-engine/load-flows.ts";
import type { RequestResult, TicketView } from "../../src/flow-engine/requests.ts";

export const root = join(import.meta.dirname, "..", "..");
/** The real flows/: the engine is tested against what support leads edit, with no database. */
export const flowSet: FlowSet = loadFlows(join(root, "flows"), root);
export const NOW = new Date("2026-03-02T09:00:00.000Z");

export function context(overrides: Partial<EngineContext> = {}): EngineContext {
  return {
    now: NOW,
    flowSet,
    threshold: 0.5,
    coolingOffHours: { delete_account: 72, unlink_payment: 0, remove_verification: 0, export_data: 0 },
    codeTtlMinutes: 10,
    maxCodeAttempts: 5,
    resendCooldownSeconds: 60,
    linkedAccountId: null,
    ...overrides,
  };
}

/** A hand-made classification, as the NLU would give it. */
export function said(
  text: string,
  intent: IntentName = "out_of_scope",
  options: { confidence?: number; language?: DetectedLanguage; entities?: Partial<Entities> } = {},
): EngineEvent {
  const classification: Classification = {
    text,
    intent,
    confidence: options.confidence ?? (intent === "out_of_scope" ? 0.3 : 0.95),
    language: options.language ?? "en",
    entities: { ...emptyEntities(), ...options.entities },
    source: "local",
  };
  return { kind: "message", text, classification };
}

export const result = (r: RequestResult): EngineEvent => ({ kind: "result", result: r });

export function ticket(status: TicketStatus, type: TicketType = "delete_account", extra: Partial<TicketView> = {}): TicketView {
  return {
    id: "t1",
    reference: "DEL-ABC234",
    type,
    status,
    legalDeadline: "2026-04-01",
    jurisdiction: "gdpr",
    scheduledFor: null,
    ...extra,
  };
}

export const texts = (outcome: Outcome): string => outcome.replies.map((r) => r.text).join("\n");
export const labels = (outcome: Outcome): string[] => outcome.replies.flatMap((r) => (r.buttons ?? []).map((b) => b.label));

/** Runs a sequence of events, each from the previous state. */
export function play(state: ConversationState, events: EngineEvent[], ctx = context()): Outcome {
  let outcome: Outcome | undefined;
  for (const event of events) {
    outcome = advance(outcome?.state ?? state, event, ctx);
  }
  return outcome as Outcome;
}
