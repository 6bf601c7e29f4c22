export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failures: number;
  /** How long the circuit stays open before one trial request is let through (half-open). */
  cooldownMs: number;
}

export type CircuitState = "closed" | "open" | "half-open";

/**
 * Stops calling a failing dependency: after `failures` consecutive failures the circuit opens and
 * `allow()` says no until `cooldownMs` has passed; then one trial call is allowed (half-open), whose
 * success closes the circuit and whose failure opens it again.
 */
export class CircuitBreaker {
  #consecutiveFailures = 0;
  #openedAt: number | undefined;
  #trialInFlight = false;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CircuitState {
    if (this.#openedAt === undefined) return "closed";
    return this.now() - this.#openedAt >= this.options.cooldownMs ? "half-open" : "open";
  }

  /** Whether a call may go out now; a half-open circuit lets exactly one through. */
  allow(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.#trialInFlight) return false;
    this.#trialInFlight = true;
    return true;
  }

  success(): void {
    this.#consecutiveFailures = 0;
    this.#openedAt = undefined;
    this.#trialInFlight = false;
  }

  failure(): void {
    this.#consecutiveFailures++;
    if (this.#trialInFlight || this.#consecutiveFailures >= this.options.failures) this.#openedAt = this.now();
    this.#trialInFlight = false;
  }
}
