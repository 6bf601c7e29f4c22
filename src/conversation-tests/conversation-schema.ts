import { z } from "zod";
import { CHANNELS } from "../conversations/message.ts";
import { TICKET_STATUSES, TICKET_TYPES } from "../domain/ticket.ts";

/**
 * The shape of test/conversations/*.yaml: each file is a list of scripted conversations, each a list
 * of turns (something the person says or a button they press) with what the bot must do in reply.
 */

/** YAML reads `say: 123456` as a number; a person types text, so numbers become their digits. */
const typed = z.union([z.string(), z.number().transform(String)]);

const regex = z.string().refine(
  (source) => {
    try {
      new RegExp(source);
      return true;
    } catch {
      return false;
    }
  },
  { error: "not a valid regular expression" },
);

export const expectationSchema = z.strictObject({
  /** All must appear in the turn's replies joined (case-insensitive). */
  contains: z.array(typed).optional(),
  /** None may appear (case-insensitive). */
  not_contains: z.array(typed).optional(),
  /** Button labels that must be offered in the turn's replies. */
  buttons: z.array(z.string()).optional(),
  /** Button labels that must not be offered. */
  no_buttons: z.array(z.string()).optional(),
  /** The conversation's newest ticket; `null`: the person has no ticket at all. */
  ticket: z
    .strictObject({ type: z.enum(TICKET_TYPES).optional(), status: z.enum(TICKET_STATUSES).optional() })
    .nullable()
    .optional(),
  /** How many tickets the person has (all types and statuses). */
  tickets: z.number().int().min(0).optional(),
  /** true: an agent leads or is being waited for; false: the bot leads. */
  handoff: z.boolean().optional(),
  /** true: the bot sent nothing. */
  silent: z.boolean().optional(),
  /** Exact number of replies. */
  replies: z.number().int().min(0).optional(),
  /** A regular expression (case-insensitive) the joined replies must match. */
  matches: regex.optional(),
});
export type Expectation = z.infer<typeof expectationSchema>;

export const turnSchema = z
  .strictObject({
    /** Text the person types; `{code}`, `{wrong_code}` and `{reference}` are filled in by the runner. */
    say: typed.optional(),
    /** Label of a button offered in the previous turn; its value is sent. */
    press: z.string().min(1).optional(),
    /** Another person (channel user) sends this turn, e.g. a stranger quoting someone's reference. */
    as: z.string().min(1).optional(),
    /** Seconds the clock moves forward before this turn (code expiry, resend cool-down). */
    wait: z.number().int().min(0).optional(),
    expect: expectationSchema.optional(),
  })
  .refine((turn) => (turn.say === undefined) !== (turn.press === undefined), { error: "a turn needs exactly one of `say` or `press`" });
export type Turn = z.infer<typeof turnSchema>;

export const conversationSchema = z.strictObject({
  name: z.string().min(1),
  /** Informational: the language the conversation is in. */
  lang: z.enum(["en", "zh"]).optional(),
  /** The channel user id; the runner prefixes a random id so every run starts fresh. */
  user: z.string().min(1).default("person"),
  channel: z.enum(CHANNELS).default("web"),
  /** Why the conversation is skipped (a known bug); skipped ones are listed, not run. */
  skip: z.string().min(1).optional(),
  turns: z.array(turnSchema).min(1),
});
export type Conversation = z.infer<typeof conversationSchema>;

export const conversationFileSchema = z.array(conversationSchema);

/** A conversation with where it was written, for error messages. */
export interface LoadedConversation extends Conversation {
  file: string;
  line: number;
}
