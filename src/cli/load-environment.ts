import { existsSync } from "node:fs";
import { config as loadDotenv } from "dotenv";
import { type Config, ConfigError, loadConfig } from "../config/config.ts";

/**
 * The environment plus an optional `.env` file in the working directory (real variables win), parsed
 * into a Config. A bad configuration prints one line per wrong variable and yields undefined.
 */
export function configFromEnvironment(env: NodeJS.ProcessEnv, stderr: NodeJS.WritableStream): Config | undefined {
  const merged: NodeJS.ProcessEnv = { ...env };
  if (env === process.env && existsSync(".env")) {
    loadDotenv({ path: ".env", processEnv: merged as Record<string, string>, quiet: true, override: false });
  }
  try {
    return loadConfig(merged);
  } catch (error) {
    if (error instanceof ConfigError) {
      stderr.write(`erasure-desk: ${error.message}\nSee .env.example for every variable and its format.\n`);
      return undefined;
    }
    throw error;
  }
}
