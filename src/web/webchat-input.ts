import { z } from "zod";
import { LANGUAGES } from "../domain/intent.ts";

/** Longest message text accepted, in characters (code points) after trimming. */
export const MAX_TEXT_CHARS = 4000;
/** Largest request body read at all; generous for 4000 escaped characters, small enough to refuse floods. */
export const MAX_BODY_BYTES = 64 * 1024;

const idChars = /^[A-Za-z0-9_-]+$/;

/** A string field whose message tells "missing" apart from "wrong type". */
const stringField = (name: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? `${name} is required` : `${name} must be a string`) });

/** The web visitor's id doubles as their bearer secret (the page makes a random one), hence the minimum length. */
export const userIdSchema = stringField("userId")
  .min(8, { error: "userId must be at least 8 characters" })
  .max(128, { error: "userId must be at most 128 characters" })
  .regex(idChars, { error: "userId may only contain letters, digits, '_' and '-'" });

export const messageBodySchema = z.object(
  {
    userId: userIdSchema,
    text: stringField("text").transform((text) => text.trim()),
    lang: z.enum(LANGUAGES, { error: `lang must be one of ${LANGUAGES.join(", ")}` }).optional(),
    messageId: stringField("messageId")
      .min(1, { error: "messageId must not be empty" })
      .max(128, { error: "messageId must be at most 128 characters" })
      .regex(idChars, { error: "messageId may only contain letters, digits, '_' and '-'" })
      .optional(),
  },
  { error: "the body must be a JSON object" },
);

export type MessageBody = z.infer<typeof messageBodySchema>;

/** One line naming each problem; every message above names its field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => issue.message).join("; ");
}

/** Characters as a person counts them: an emoji is one, not two UTF-16 units. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
