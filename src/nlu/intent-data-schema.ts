import { z } from "zod";
import { INTENTS, LANGUAGES } from "../domain/intent.ts";

// The shapes of the files under intents/. Messages are written for a support lead editing YAML.

const text = (what: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? "is required" : `expected ${what}`) })
    .trim()
    .min(1, `${what} must not be empty`);

/** A custom message for a wrong type only; other issues (unknown keys…) keep zod's own message. */
const typeError = (message: string) => ({
  error: (issue: { code: string }) => (issue.code === "invalid_type" ? message : undefined),
});

const intentName = z.enum(INTENTS, {
  error: (issue) => `unknown intent ${JSON.stringify(issue.input)}; known intents: ${INTENTS.join(", ")}`,
});

/** `intents/<lang>/<intent>.yaml` */
export const phraseFileSchema = z.strictObject(
  {
    intent: intentName,
    phrases: z.array(text("a string"), { error: "expected a list of phrases" }).min(1, "needs at least one phrase"),
  },
  typeError("expected a mapping with `intent` and `phrases`"),
);

/** `intents/intents.yaml` */
export const intentsFileSchema = z.strictObject(
  {
    outOfScopeThreshold: z
      .number({ error: "expected a number between 0 and 1" })
      .min(0, "must be between 0 and 1")
      .max(1, "must be between 0 and 1"),
    intents: z.array(
      z.strictObject(
        {
          name: intentName,
          description: text("a one-line description"),
          bias: z.number({ error: "expected a number" }).min(-5, "must be between -5 and 5").max(5, "must be between -5 and 5").optional(),
        },
        typeError("expected a mapping with `name` and `description`"),
      ),
      { error: "expected a list of intents" },
    ),
  },
  typeError("expected a mapping with `outOfScopeThreshold` and `intents`"),
);

export const patternSchema = z
  .strictObject(
    {
      id: text("an id").regex(/^[a-z0-9][a-z0-9_-]*$/, "use lower-case letters, digits, - and _"),
      intent: intentName.optional(),
      language: z.enum(LANGUAGES, { error: `expected one of ${LANGUAGES.join(", ")}` }).optional(),
      keywords: z.array(text("a keyword"), { error: "expected a list of keywords" }).min(1, "needs at least one keyword").optional(),
      regex: text("a regular expression").optional(),
      weight: z
        .number({ error: "expected a number" })
        .min(-10, "must be between -10 and 10")
        .max(10, "must be between -10 and 10")
        .optional(),
    },
    typeError("expected a pattern mapping with `id` and `keywords` or `regex`"),
  )
  .refine((p) => (p.keywords === undefined) !== (p.regex === undefined), "needs exactly one of `keywords` or `regex`")
  .refine(
    (p) => (p.intent === undefined) === (p.weight === undefined),
    "`intent` and `weight` go together (a pattern without them is a concept feature)",
  );

/** `intents/patterns.yaml`; each entry is checked on its own with `patternSchema` so every bad one is reported. */
export const patternsFileSchema = z.strictObject(
  { patterns: z.array(z.unknown(), { error: "expected a list of patterns" }) },
  typeError("expected a mapping with `patterns`"),
);

export type PhraseFile = z.infer<typeof phraseFileSchema>;
export type IntentsFile = z.infer<typeof intentsFileSchema>;
export type PatternEntry = z.infer<typeof patternSchema>;
