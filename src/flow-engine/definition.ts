import { z } from "zod";
import { INTENTS } from "../domain/intent.ts";
import { TICKET_STATUSES, TICKET_TYPES } from "../domain/ticket.ts";

/**
 * The shape of flows/*.yaml. Each step names what it does; `next` and the branch targets name other
 * steps of the same flow, or `end`. Message fields are keys of the catalogue (flows/messages/<lang>.yaml).
 */
const stepId = z.string().regex(/^[a-z][a-z0-9_]*$/, { error: "step ids are lower_snake_case" });
const messageKey = z.string().regex(/^[a-z][a-z0-9_.]*$/, { error: "message keys look like section.name" });

export const buttonSchema = z.strictObject({ label: messageKey, value: z.string().min(1) });
export type ButtonDefinition = z.infer<typeof buttonSchema>;

const base = { note: z.string().optional() };

/** Conditions a branch can test; the ticket ones make the engine list the person's tickets first. */
export const BRANCH_CONDITIONS = [
  "linked_account",
  "has_reference",
  "cooling_off",
  "has_open_ticket",
  "has_cancellable_ticket",
  "has_tickets",
] as const;
export type BranchCondition = (typeof BRANCH_CONDITIONS)[number];
export const TICKET_CONDITIONS: readonly BranchCondition[] = ["has_open_ticket", "has_cancellable_ticket", "has_tickets"];

export const stepSchema = z.discriminatedUnion("kind", [
  /** Send a message (with buttons) and go on. */
  z.strictObject({ ...base, kind: z.literal("say"), message: messageKey, buttons: z.array(buttonSchema).optional(), next: stepId }),
  /** Ask for a value, validate it, re-ask on bad input; the value goes into a slot. */
  z.strictObject({
    ...base,
    kind: z.literal("collect"),
    message: messageKey,
    slot: z.string().regex(/^[a-z_]+$/),
    expect: z.enum(["email_or_phone", "reference", "text"]),
    invalid: messageKey,
    buttons: z.array(buttonSchema).optional(),
    next: stepId,
  }),
  /** Prove the person owns an account: linked identity, or a one-time code to the contact on file. */
  z.strictObject({ ...base, kind: z.literal("verify"), next: stepId, locked: stepId }),
  /** State the consequences from the account's facts, for the ticket type. */
  z.strictObject({ ...base, kind: z.literal("explain"), topic: z.enum(TICKET_TYPES), next: stepId }),
  /** Explicit yes/no with buttons; anything else is clarified. */
  z.strictObject({
    ...base,
    kind: z.literal("confirm"),
    message: messageKey,
    buttons: z.array(buttonSchema).min(1),
    yes: stepId,
    no: stepId,
    /** Extra buttons that lead elsewhere, e.g. "export my data first". */
    choices: z.array(z.strictObject({ value: z.string().min(1), next: stepId })).optional(),
  }),
  /** Let the person pick one of the account's payment methods (masked). */
  z.strictObject({ ...base, kind: z.literal("choose_payment_method"), message: messageKey, none: stepId, next: stepId }),
  /** Open (or reuse the open) ticket of this type and tell its reference. */
  z.strictObject({ ...base, kind: z.literal("open_ticket"), type: z.enum(TICKET_TYPES), message: messageKey, next: stepId }),
  /** Move the flow's ticket; `scheduled` becomes `in_progress` directly when the type has no cooling-off. */
  z.strictObject({
    ...base,
    kind: z.literal("move_ticket"),
    to: z.enum(TICKET_STATUSES),
    reason: z.string().optional(),
    next: stepId,
  }),
  /** Go to the first step whose condition holds. */
  z.strictObject({
    ...base,
    kind: z.literal("branch"),
    cases: z.array(z.strictObject({ when: z.enum(BRANCH_CONDITIONS), goto: stepId })),
    otherwise: stepId,
  }),
  /** Show the person's own tickets (by reference they give, or all of their linked account). */
  z.strictObject({ ...base, kind: z.literal("show_tickets"), next: stepId }),
  /** Cancel the person's cancellable deletion tickets (after confirmation). */
  z.strictObject({ ...base, kind: z.literal("cancel_tickets"), next: stepId }),
  /** Put the conversation in the agents' queue; the bot goes quiet. */
  z.strictObject({ ...base, kind: z.literal("handoff"), reason: z.string(), message: messageKey }),
  /** Run another flow, then come back to `next`. */
  z.strictObject({ ...base, kind: z.literal("call"), flow: z.string(), next: stepId }),
  /** Finish the flow, optionally with a last message. */
  z.strictObject({ ...base, kind: z.literal("end"), message: messageKey.optional(), buttons: z.array(buttonSchema).optional() }),
]);
export type StepDefinition = z.infer<typeof stepSchema>;
export type StepKind = StepDefinition["kind"];

export const flowSchema = z.strictObject({
  flow: z.string().regex(/^[a-z_]+$/),
  description: z.string(),
  /** Intents that start this flow when no flow is active. */
  triggers: z.array(z.enum(INTENTS)).default([]),
  start: stepId,
  steps: z.record(stepId, stepSchema),
});
export type FlowDefinition = z.infer<typeof flowSchema>;

/** Message catalogue of one language: key → template with {placeholders}. */
export const catalogueSchema = z.record(messageKey, z.string().min(1));
export type Catalogue = z.infer<typeof catalogueSchema>;

/** FAQ: questions answered in the middle of a flow, which then resumes. */
export const faqSchema = z.strictObject({
  faq: z.array(
    z.strictObject({
      id: z.string(),
      /** Lower-case substrings or /regex/ per language; any match answers. */
      match: z.strictObject({ en: z.array(z.string()).min(1), zh: z.array(z.string()).min(1) }),
      answer: messageKey,
    }),
  ),
});
export type FaqDefinition = z.infer<typeof faqSchema>["faq"][number];

export interface FlowSet {
  flows: ReadonlyMap<string, FlowDefinition>;
  catalogues: Readonly<Record<"en" | "zh", Catalogue>>;
  faq: readonly FaqDefinition[];
}

/** Every step a step can lead to, for reachability checks. */
export function successors(step: StepDefinition): string[] {
  switch (step.kind) {
    case "say":
    case "collect":
    case "explain":
    case "open_ticket":
    case "move_ticket":
    case "show_tickets":
    case "cancel_tickets":
    case "call":
      return [step.next];
    case "verify":
      return [step.next, step.locked];
    case "confirm":
      return [step.yes, step.no, ...(step.choices ?? []).map((c) => c.next)];
    case "choose_payment_method":
      return [step.next, step.none];
    case "branch":
      return [...step.cases.map((c) => c.goto), step.otherwise];
    case "handoff":
    case "end":
      return [];
  }
}

/** Every message key a step uses. */
export function messageKeys(step: StepDefinition): string[] {
  const keys: string[] = [];
  if ("message" in step && step.message) keys.push(step.message);
  if ("invalid" in step) keys.push(step.invalid);
  if ("buttons" in step && step.buttons) keys.push(...step.buttons.map((b) => b.label));
  return keys;
}
