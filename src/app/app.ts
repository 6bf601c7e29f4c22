import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Kysely } from "kysely";
import type { Config } from "../config/config.ts";
import { createDispatcher } from "../conversations/dispatcher.ts";
import type { Dispatcher } from "../conversations/message.ts";
import { seedDemoAccounts } from "../directory/demo-accounts.ts";
import { createEmbeddedDirectory } from "../directory/embedded-directory.ts";
import { createHttpDirectory } from "../directory/http-directory.ts";
import type { AccountDirectory } from "../domain/account.ts";
import type { FlowSet } from "../flow-engine/definition.ts";
import { loadFlows } from "../flow-engine/load-flows.ts";
import { appMetrics, createMetricsRegistry, type MetricsRegistry } from "../metrics/metrics-registry.ts";
import { createClassifier, type HybridClassifier, redact } from "../nlu/index.ts";
import { type Database, openDatabase } from "../storage/database.ts";
import { migrateToLatest, pendingMigrations } from "../storage/migrations.ts";
import { createOutboundQueue, type DurableOutboundQueue } from "../storage/outbound-queue.ts";
import type { Schema } from "../storage/schema.ts";
import type { CodeSender } from "../verification/code-sender.ts";
import { createOutboxDeliverer, type OutboxDeliverer } from "../verification/outbox-deliverer.ts";
import { createSmsWebhookCodeSender } from "../verification/sms-webhook-code-sender.ts";
import { createSmtpCodeSender } from "../verification/smtp-code-sender.ts";
import { createVerificationService } from "../verification/verification-service.ts";
import { type Log, silentLog } from "../web/log.ts";

/** intents/ and flows/ ship with the package, so commands work from any directory. */
const PACKAGE_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface App {
  config: Config;
  database: Database;
  dispatcher: Dispatcher;
  outbound: DurableOutboundQueue;
  outbox: OutboxDeliverer;
  classifier: HybridClassifier;
  flowSet: FlowSet;
  metrics: MetricsRegistry;
  log: Log;
  readiness(): Promise<{ ready: boolean; checks: Record<string, string> }>;
  close(): Promise<void>;
}

export interface AppOptions {
  log?: Log;
  /** Where intents/ and flows/ live; default: this package's own. */
  root?: string;
  /** Pinned clock for tests. */
  clock?: () => Date;
  /** PostgreSQL schema (tests). */
  schema?: string;
  /** A classifier trained earlier (tests that build many apps train once). */
  classifier?: HybridClassifier;
}

/**
 * The composition root: the only place that picks concrete edges (database, directory, senders,
 * classifier) from the configuration and wires them to the core.
 */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? silentLog;
  const root = options.root ?? PACKAGE_ROOT;
  const flowSet = loadFlows(join(root, "flows"), root);
  const classifier = options.classifier ?? (await buildClassifier(config, join(root, "intents"), modelCacheDir(config), log));

  const database = await openDatabase(config.database, options.schema ? { schema: options.schema } : {});
  await migrateToLatest(database.db);
  const directory = await buildDirectory(config, database, log);
  const metrics = createMetricsRegistry();
  const counters = appMetrics(metrics);
  const outbound = createOutboundQueue(database.db);
  const outbox = createOutboxDeliverer({
    db: database.db,
    senders: buildSenders(config),
    log: (level, msg, fields) => log(level, msg, fields),
  });
  const deliverCodes = () => {
    outbox.deliverPending().catch((error: Error) => log("warn", "code delivery failed; will retry", { error: error.message }));
  };

  const dispatcher = createDispatcher({
    db: database.db,
    dialect: database.dialect,
    classifier,
    flowSet,
    directory,
    verification: createVerificationService(config.codes),
    settings: {
      threshold: classifier.local.threshold,
      coolingOffHours: config.coolingOffHours,
      codeTtlMinutes: config.codes.ttlMinutes,
      maxCodeAttempts: config.codes.maxAttempts,
      resendCooldownSeconds: config.codes.resendCooldownSeconds,
      deadlinePolicy: {
        defaultDays: config.deadlines.defaultDays,
        chinaHolidays: config.deadlines.chinaHolidays,
        chinaWorkdays: config.deadlines.chinaWorkdays,
        internalTargetRatio: config.deadlines.internalTargetRatio,
      },
      defaultJurisdiction: config.deadlines.defaultJurisdiction,
    },
    redact,
    ...(options.clock ? { clock: options.clock } : {}),
    onCodesQueued: deliverCodes,
    onHandled: (event) => {
      counters.messages.inc({ channel: event.channel, direction: "in" });
      counters.messages.inc({ channel: event.channel, direction: "out" }, event.replies);
      counters.intents.inc({ intent: event.classification.intent, language: event.classification.language });
      for (const type of event.ticketsOpened) counters.ticketsOpened.inc({ type });
      counters.dispatchSeconds.observe(event.seconds);
    },
  });

  return {
    config,
    database,
    dispatcher,
    outbound,
    outbox,
    classifier,
    flowSet,
    metrics,
    log,
    async readiness(): Promise<{ ready: boolean; checks: Record<string, string> }> {
      try {
        const pending = await pendingMigrations(database.db);
        return pending.length === 0
          ? { ready: true, checks: { database: "ok", migrations: "ok" } }
          : { ready: false, checks: { database: "ok", migrations: `${pending.length} pending` } };
      } catch (error) {
        return { ready: false, checks: { database: (error as Error).message } };
      }
    },
    close: () => database.close(),
  };
}

async function buildClassifier(config: Config, intentsDir: string, cacheDir: string | undefined, log: Log): Promise<HybridClassifier> {
  const llm = config.llm;
  const classifier = await createClassifier({
    intentsDir,
    ...(config.nlu.threshold !== undefined ? { threshold: config.nlu.threshold } : {}),
    ...(cacheDir ? { cacheDir } : {}),
    ...(llm
      ? {
          llm: {
            provider: llm.provider,
            model: llm.model,
            baseUrl: llm.baseUrl,
            apiKey: llm.apiKey,
            timeoutMs: llm.timeoutMs,
            breaker: llm.breaker,
          },
          llmBelow: llm.askBelow,
          llmDeps: { onError: (error: unknown) => log("warn", "LLM classifier failed; the local answer stands", { error: String(error) }) },
        }
      : {}),
  });
  log("info", "classifier trained", {
    examples: classifier.data.examples.length,
    ms: Math.round(classifier.local.trainingMs),
    llm: llm ? `${llm.provider}:${llm.model}` : "off",
  });
  return classifier;
}

async function buildDirectory(config: Config, database: Database, log: Log): Promise<(tx: Kysely<Schema>) => AccountDirectory> {
  if (config.directory) {
    const { url, secret, timeoutMs } = config.directory;
    log("info", "account directory: company API", { url: url.replace(/\/\/[^@/]*@/, "//***@") });
    const remote = createHttpDirectory({ url, secret: secret as string, timeoutMs });
    return () => remote;
  }
  const { inserted } = await seedDemoAccounts(database.db);
  if (inserted > 0) log("info", "embedded directory seeded with demo accounts", { inserted });
  return (tx) => createEmbeddedDirectory(tx);
}

/** The calibration cache sits beside the SQLite file; with PostgreSQL or in memory there is none. */
function modelCacheDir(config: Config): string | undefined {
  if (config.database.kind !== "sqlite" || config.database.file === ":memory:") return undefined;
  return join(dirname(resolve(config.database.file)), "nlu-cache");
}

function buildSenders(config: Config): Partial<Record<"email" | "sms", CodeSender>> {
  return {
    ...(config.smtp ? { email: createSmtpCodeSender(config.smtp) } : {}),
    ...(config.sms ? { sms: createSmsWebhookCodeSender({ url: config.sms.url, secret: config.sms.secret as string }) } : {}),
  };
}
