import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadFlows } from "../../src/flow-engine/load-flows.ts";

// Keys the engine uses in code (not in flows/) are invisible to `validate`; this catches a missing one.
const root = join(import.meta.dirname, "../..");
const sources = ["src/flow-engine/engine.ts", "src/flow-engine/consequences.ts"].map((file) => readFileSync(join(root, file), "utf8"));
const SECTIONS =
  /["`]((?:button|verify|status|explain|repair|fallback|input|error|flow|top|ticket|cancel|renews|law|ticket_type)\.[a-z_]+(?:\.[a-z_]+)?)["`]/g;

describe("message keys used in code", () => {
  const flowSet = loadFlows(join(root, "flows"), root);
  const keys = new Set(sources.flatMap((source) => [...source.matchAll(SECTIONS)].map((m) => m[1] as string)));
  const dynamic = Object.keys(flowSet.catalogues.en).filter((key) => /^(status\.name|ticket_type|law|renews)\./.test(key));

  it("finds the keys it is meant to check", () => {
    expect(keys.size).toBeGreaterThan(30);
  });

  for (const lang of ["en", "zh"] as const) {
    it(`exist in messages/${lang}.yaml`, () => {
      const missing = [...keys].filter((key) => !key.endsWith(".") && !(key in flowSet.catalogues[lang]));
      expect(missing).toEqual([]);
      expect(dynamic.length).toBeGreaterThan(10);
    });
  }
});
