import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

// Bump when a change to features or training would make a cached temperature wrong.
const MODEL_VERSION = 1;

/** The calibration temperature is the expensive part of start-up (it needs cross-validation); the model itself trains in a fraction of a second. */
export interface TemperatureCache {
  get(): Promise<number | undefined>;
  set(temperature: number): Promise<void>;
}

/** A file per data hash and options under `dir` (e.g. `./data/nlu-cache`); unreadable entries count as missing. */
export function createTemperatureCache(dir: string, dataHash: string, options: unknown): TemperatureCache {
  const key = createHash("sha256")
    .update(`${MODEL_VERSION}\0${dataHash}\0${JSON.stringify(options ?? {})}`)
    .digest("hex")
    .slice(0, 32);
  const file = path.join(dir, `calibration-${key}.json`);
  return {
    async get() {
      try {
        const { temperature } = JSON.parse(await readFile(file, "utf8")) as { temperature?: unknown };
        return typeof temperature === "number" && temperature > 0 && Number.isFinite(temperature) ? temperature : undefined;
      } catch {
        return undefined;
      }
    },
    async set(temperature) {
      await mkdir(dir, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify({ temperature, dataHash, createdAt: new Date().toISOString() }));
      await rename(temporary, file);
    },
  };
}
