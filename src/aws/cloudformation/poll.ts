/**
 * Waiting and backing off between AWS polls. Uses the global timers and Date.now so that tests
 * drive it with fake timers.
 */

/** Resolves after `ms`, or rejects with the signal's reason when aborted first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new Error("aborted");
}

// One definition of throttling for every AWS caller in dpra.
export { isThrottling } from "../retry.js";

/**
 * Poll interval that doubles on throttling (up to `maxMs`) and returns to `baseMs` after a
 * successful call. No jitter: the SDK adds its own, and fixed steps keep tests deterministic.
 */
export class Backoff {
  private current: number;
  constructor(
    readonly baseMs: number,
    readonly maxMs: number,
  ) {
    this.current = baseMs;
  }
  /** Delay before the next poll, given whether the last one was throttled. */
  next(throttled: boolean): number {
    this.current = throttled ? Math.min(this.maxMs, this.current * 2) : this.baseMs;
    return this.current;
  }
}

/** Formats a duration in ms as `1m05s` or `12s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}
