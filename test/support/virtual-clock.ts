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
