import { vi } from "vitest";
import type { Clock } from "../../src/aws/synthetics/clock.js";

/** A clock whose sleeps return at once and move virtual time forward: for tests that also do real I/O. */
export function virtualClock(start: number): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
  };
}

/**
 * Under vitest's fake timers: runs every timer until `p` settles, so polling loops proceed, then
 * returns its value or throws its error (caught at once, so no rejection goes unhandled meanwhile).
 */
export async function settle<T>(p: Promise<T>): Promise<T> {
  const guarded = p.then(
    (v) => ({ ok: true as const, v }),
    (e: unknown) => ({ ok: false as const, e }),
  );
  await vi.runAllTimersAsync();
  const r = await guarded;
  if (!r.ok) throw r.e;
  return r.v;
}
