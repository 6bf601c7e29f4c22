import type { Dispatcher } from "../conversations/message.ts";
import { type MetricsRegistry, appMetrics } from "./metrics-registry.ts";

/**
 * Wraps the dispatcher every channel calls so message counts and dispatch latency are recorded in one
 * place, whatever the channel. Errors are counted by the boundary that catches them, not here.
 */
export function instrumentDispatcher(dispatcher: Dispatcher, registry: MetricsRegistry): Dispatcher {
  const metrics = appMetrics(registry);
  return {
    async handle(message) {
      metrics.messages.inc({ channel: message.channel, direction: "in" });
      const stop = metrics.dispatchSeconds.startTimer();
      const result = await dispatcher.handle(message);
      stop();
      if (result.kind !== "duplicate" && result.replies.length > 0) {
        metrics.messages.inc({ channel: message.channel, direction: "out" }, result.replies.length);
      }
      return result;
    },
  };
}
