import { describe, expect, it } from "vitest";
import { appMetrics, createMetricsRegistry } from "../../src/metrics/metrics-registry.ts";

describe("metrics registry", () => {
  it("announces the app's metrics before anything is recorded", async () => {
    const text = await createMetricsRegistry().expose();
    for (const [name, type] of [
      ["erasure_messages_total", "counter"],
      ["erasure_dispatch_seconds", "histogram"],
      ["erasure_intents_total", "counter"],
      ["erasure_tickets_opened_total", "counter"],
      ["erasure_errors_total", "counter"],
    ]) {
      expect(text).toContain(`# TYPE ${name} ${type}\n`);
      expect(text).toMatch(new RegExp(`# HELP ${name} \\S`));
    }
  });

  it("counts per label set and escapes label values", async () => {
    const registry = createMetricsRegistry();
    const { messages, intents } = appMetrics(registry);
    messages.inc({ channel: "web", direction: "in" });
    messages.inc({ channel: "web", direction: "in" }, 2);
    messages.inc({ channel: "console", direction: "out" });
    intents.inc({ intent: 'we"ird\\x\ny', language: "zh" });
    const text = await registry.expose();
    expect(text).toContain('erasure_messages_total{channel="web",direction="in"} 3\n');
    expect(text).toContain('erasure_messages_total{channel="console",direction="out"} 1\n');
    expect(text).toContain('erasure_intents_total{intent="we\\"ird\\\\x\\ny",language="zh"} 1\n');
  });

  it("writes cumulative histogram buckets with +Inf, sum and count", async () => {
    const registry = createMetricsRegistry();
    const latency = registry.histogram("test_latency_seconds", "Latency.", { buckets: [0.1, 1, 0.5], labelNames: ["route"] });
    for (const value of [0.05, 0.3, 0.7, 3]) latency.observe(value, { route: "a" });
    const text = await registry.expose();
    expect(text).toContain(
      [
        'test_latency_seconds_bucket{route="a",le="0.1"} 1',
        'test_latency_seconds_bucket{route="a",le="0.5"} 2',
        'test_latency_seconds_bucket{route="a",le="1"} 3',
        'test_latency_seconds_bucket{route="a",le="+Inf"} 4',
        'test_latency_seconds_sum{route="a"} 4.05',
        'test_latency_seconds_count{route="a"} 4',
      ].join("\n"),
    );
  });

  it("times with startTimer into the same histogram", async () => {
    const registry = createMetricsRegistry();
    const stop = appMetrics(registry).dispatchSeconds.startTimer();
    await new Promise((r) => setTimeout(r, 20));
    const seconds = stop();
    expect(seconds).toBeGreaterThanOrEqual(0.015);
    const text = await registry.expose();
    expect(text).toContain("erasure_dispatch_seconds_count 1\n");
    expect(text).toContain('erasure_dispatch_seconds_bucket{le="0.005"} 0\n');
    expect(text).toContain('erasure_dispatch_seconds_bucket{le="+Inf"} 1\n');
  });

  it("reads gauges when scraped and leaves out one whose callback fails", async () => {
    const registry = createMetricsRegistry();
    let backlog = 4;
    registry.gauge("test_backlog", "Open tickets.", () => backlog);
    registry.gauge("test_by_status", "Tickets by status.", async () => [{ labels: { status: "verifying" }, value: 2 }]);
    registry.gauge("test_broken", "Fails.", () => {
      throw new Error("database down");
    });
    backlog = 7;
    const text = await registry.expose();
    expect(text).toContain("test_backlog 7\n");
    expect(text).toContain('test_by_status{status="verifying"} 2\n');
    expect(text).toContain("# TYPE test_broken gauge\n");
    expect(text).not.toMatch(/^test_broken /m);
  });

  it("returns the same metric for the same name and refuses mistakes loudly", () => {
    const registry = createMetricsRegistry();
    expect(registry.counter("erasure_errors_total", "x", ["where"])).toBe(appMetrics(registry).errors);
    expect(() => registry.histogram("erasure_errors_total", "x")).toThrow(/already registered as a counter/);
    expect(() => registry.counter("bad-name", "x")).toThrow(/invalid metric name/);
    expect(() => appMetrics(registry).errors.inc({ place: "web" })).toThrow(/unknown label "place"/);
    expect(() => appMetrics(registry).errors.inc({ where: "web" }, -1)).toThrow(/only goes up/);
  });
});
