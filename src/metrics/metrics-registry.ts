/**
 * A small Prometheus registry: counters and histograms with labels, gauges read through a callback
 * at scrape time, exposed in the text format 0.0.4. Just what the app records, no client library.
 */

export type Labels = Readonly<Record<string, string>>;

export interface Counter {
  inc(labels?: Labels, amount?: number): void;
}

export interface Histogram {
  observe(value: number, labels?: Labels): void;
  /** Starts a timer; calling the returned function observes the elapsed seconds. */
  startTimer(labels?: Labels): () => number;
}

/** What a gauge callback returns: one value, or one value per label set. */
export type GaugeReading = number | { labels: Labels; value: number }[];

export interface MetricsRegistry {
  /** Content-Type of `expose()`. */
  readonly contentType: string;
  /** Registers a counter, or returns the one already registered under this name. */
  counter(name: string, help: string, labelNames?: readonly string[]): Counter;
  histogram(name: string, help: string, options?: { labelNames?: readonly string[]; buckets?: readonly number[] }): Histogram;
  /** A gauge read when scraped; a callback that throws is left out of that scrape. */
  gauge(name: string, help: string, read: () => GaugeReading | Promise<GaugeReading>): void;
  expose(): Promise<string>;
}

export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Latency buckets in seconds, from a fast local reply to a slow LLM round trip. */
export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

interface Family {
  type: "counter" | "histogram" | "gauge";
  help: string;
  render(name: string): Promise<string[]>;
}

export function createMetricsRegistry(): MetricsRegistry {
  const families = new Map<string, Family & { handle?: unknown }>();

  function register<T>(name: string, type: Family["type"], make: () => Family & { handle: T }): T {
    const existing = families.get(name);
    if (existing) {
      if (existing.type !== type) throw new Error(`metric ${name} is already registered as a ${existing.type}`);
      return existing.handle as T;
    }
    if (!NAME.test(name)) throw new Error(`invalid metric name: ${name}`);
    const family = make();
    families.set(name, family);
    return family.handle;
  }

  const registry: MetricsRegistry = {
    contentType: EXPOSITION_CONTENT_TYPE,
    counter: (name, help, labelNames = []) => register(name, "counter", () => makeCounter(help, checkLabelNames(labelNames))),
    histogram: (name, help, options = {}) =>
      register(name, "histogram", () =>
        makeHistogram(help, checkLabelNames(options.labelNames ?? []), checkBuckets(options.buckets ?? DEFAULT_BUCKETS)),
      ),
    gauge: (name, help, read) => register(name, "gauge", () => makeGauge(help, read)),
    async expose() {
      const lines: string[] = [];
      for (const [name, family] of families) {
        const samples = await family.render(name);
        lines.push(`# HELP ${name} ${escapeHelp(family.help)}`, `# TYPE ${name} ${family.type}`, ...samples);
      }
      return lines.length > 0 ? `${lines.join("\n")}\n` : "";
    },
  };
  registerAppMetrics(registry);
  return registry;
}

// ─── The metrics the app records ─────────────────────────────────────────────────────────────

export interface AppMetrics {
  /** erasure_messages_total{channel,direction}: direction is "in" or "out". */
  messages: Counter;
  /** erasure_dispatch_seconds: time from an inbound message to its replies. */
  dispatchSeconds: Histogram;
  /** erasure_intents_total{intent,language}. */
  intents: Counter;
  /** erasure_tickets_opened_total{type}. */
  ticketsOpened: Counter;
  /** erasure_errors_total{where}: failures caught at a boundary (webchat, console, telegram, scheduler…). */
  errors: Counter;
}

/** Typed handles on the app's metrics; the same registry always gives the same handles. */
export function appMetrics(registry: MetricsRegistry): AppMetrics {
  return registerAppMetrics(registry);
}

function registerAppMetrics(registry: MetricsRegistry): AppMetrics {
  return {
    messages: registry.counter("erasure_messages_total", "Chat messages handled, by channel and direction.", ["channel", "direction"]),
    dispatchSeconds: registry.histogram("erasure_dispatch_seconds", "Seconds from an inbound message to its replies."),
    intents: registry.counter("erasure_intents_total", "Classified messages, by intent and language.", ["intent", "language"]),
    ticketsOpened: registry.counter("erasure_tickets_opened_total", "Tickets opened, by type.", ["type"]),
    errors: registry.counter("erasure_errors_total", "Errors caught at a boundary, by where they were caught.", ["where"]),
  };
}

// ─── Metric kinds ────────────────────────────────────────────────────────────────────────────

function makeCounter(help: string, labelNames: readonly string[]): Family & { handle: Counter } {
  const values = new Map<string, { labels: Labels; value: number }>();
  return {
    type: "counter",
    help,
    handle: {
      inc(labels = {}, amount = 1) {
        if (!(amount >= 0)) throw new Error(`a counter only goes up (got ${amount})`);
        const key = labelKey(labelNames, labels);
        const entry = values.get(key) ?? { labels: pick(labelNames, labels), value: 0 };
        entry.value += amount;
        values.set(key, entry);
      },
    },
    render: async (name) => [...values.values()].map((entry) => sample(name, entry.labels, entry.value)),
  };
}

interface HistogramSeries {
  labels: Labels;
  counts: number[];
  sum: number;
  count: number;
}

function makeHistogram(help: string, labelNames: readonly string[], buckets: readonly number[]): Family & { handle: Histogram } {
  const series = new Map<string, HistogramSeries>();
  const observe = (value: number, labels: Labels = {}) => {
    if (Number.isNaN(value)) return;
    const key = labelKey(labelNames, labels);
    const entry = series.get(key) ?? { labels: pick(labelNames, labels), counts: buckets.map(() => 0), sum: 0, count: 0 };
    buckets.forEach((bound, i) => {
      if (value <= bound) entry.counts[i] = (entry.counts[i] ?? 0) + 1;
    });
    entry.sum += value;
    entry.count += 1;
    series.set(key, entry);
  };
  return {
    type: "histogram",
    help,
    handle: {
      observe,
      startTimer(labels) {
        const start = process.hrtime.bigint();
        return () => {
          const seconds = Number(process.hrtime.bigint() - start) / 1e9;
          observe(seconds, labels);
          return seconds;
        };
      },
    },
    render: async (name) => [...series.values()].flatMap((entry) => renderHistogram(name, buckets, entry)),
  };
}

function renderHistogram(name: string, buckets: readonly number[], entry: HistogramSeries): string[] {
  const lines = buckets.map((bound, i) => sample(`${name}_bucket`, { ...entry.labels, le: formatNumber(bound) }, entry.counts[i] ?? 0));
  lines.push(sample(`${name}_bucket`, { ...entry.labels, le: "+Inf" }, entry.count));
  lines.push(sample(`${name}_sum`, entry.labels, entry.sum), sample(`${name}_count`, entry.labels, entry.count));
  return lines;
}

function makeGauge(help: string, read: () => GaugeReading | Promise<GaugeReading>): Family & { handle: undefined } {
  return {
    type: "gauge",
    help,
    handle: undefined,
    async render(name) {
      let reading: GaugeReading;
      try {
        reading = await read();
      } catch {
        // A broken gauge (database down…) must not take the whole scrape with it.
        return [];
      }
      if (typeof reading === "number") return [sample(name, {}, reading)];
      return reading.map((entry) => sample(name, entry.labels, entry.value));
    },
  };
}

// ─── Text format 0.0.4 ───────────────────────────────────────────────────────────────────────

function sample(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(([key, val]) => `${key}="${escapeLabelValue(val)}"`);
  return `${name}${pairs.length > 0 ? `{${pairs.join(",")}}` : ""} ${formatNumber(value)}`;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function checkLabelNames(labelNames: readonly string[]): readonly string[] {
  for (const label of labelNames) {
    if (!LABEL_NAME.test(label) || label.startsWith("__") || label === "le") throw new Error(`invalid label name: ${label}`);
  }
  return [...labelNames];
}

function checkBuckets(buckets: readonly number[]): readonly number[] {
  const sorted = [...buckets].filter((b) => Number.isFinite(b)).sort((a, b) => a - b);
  if (sorted.length === 0) throw new Error("a histogram needs at least one finite bucket");
  return [...new Set(sorted)];
}

/** Labels outside the declared names are a programming error worth failing loudly in tests. */
function labelKey(labelNames: readonly string[], labels: Labels): string {
  for (const key of Object.keys(labels)) {
    if (!labelNames.includes(key)) throw new Error(`unknown label "${key}" (declared: ${labelNames.join(", ") || "none"})`);
  }
  return labelNames.map((name) => labels[name] ?? "").join("\u0000");
}

function pick(labelNames: readonly string[], labels: Labels): Labels {
  return Object.fromEntries(labelNames.map((name) => [name, labels[name] ?? ""]));
}
