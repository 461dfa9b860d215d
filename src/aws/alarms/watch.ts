import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { cloudWatchSdk } from "../sdk.js";
import { isThrottling } from "../cloudformation/poll.js";

/** An alarm seen in the ALARM state. */
export interface AlarmBreach {
  name: string;
  reason: string;
  /** When the watcher saw it (ms since epoch), not when CloudWatch changed the state. */
  at: number;
  /** When CloudWatch says the state changed, if it says. */
  stateUpdatedAt?: string;
}

export interface AlarmWatchResult {
  /** The first alarm seen in ALARM; absent when the watch ran its full duration. */
  breached?: AlarmBreach;
  /** Alarm names found and watched. */
  watched: string[];
  /** Alarms in INSUFFICIENT_DATA at the last poll: they cannot protect the rollout. */
  insufficientData: string[];
  /** Configured alarm names that DescribeAlarms did not return. */
  missing: string[];
  polls: number;
  /** Polls that failed (throttling or other errors); the watch goes on. */
  failedPolls: number;
  /** True when the signal stopped the watch before its duration. */
  aborted: boolean;
}

export interface WatchAlarmsOptions {
  client: CloudWatchClient;
  alarmNames: readonly string[];
  /** How long to watch; 0 means one poll. */
  durationMs: number;
  pollMs: number;
  signal?: AbortSignal;
  /** Called after each successful poll, e.g. to print a progress line. */
  onPoll?: (state: { inAlarm: string[]; insufficientData: string[]; ok: string[] }) => void;
}

/** DescribeAlarms takes at most 100 names per call. */
const NAMES_PER_CALL = 100;

interface AlarmStateView {
  name: string;
  state: string;
  reason: string;
  updatedAt?: string;
}

/** One DescribeAlarms round (metric and composite alarms, every page). */
export async function describeAlarmStates(client: CloudWatchClient, names: readonly string[], signal?: AbortSignal): Promise<AlarmStateView[]> {
  const out: AlarmStateView[] = [];
  for (let i = 0; i < names.length; i += NAMES_PER_CALL) {
    let next: string | undefined;
    do {
      const page = await client.send(
        new (await cloudWatchSdk()).DescribeAlarmsCommand({ AlarmNames: names.slice(i, i + NAMES_PER_CALL), AlarmTypes: ["MetricAlarm", "CompositeAlarm"], NextToken: next }),
        { abortSignal: signal },
      );
      for (const a of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
        out.push({ name: a.AlarmName ?? "?", state: a.StateValue ?? "?", reason: a.StateReason ?? "", updatedAt: a.StateUpdatedTimestamp?.toISOString() });
      }
      next = page.NextToken;
    } while (next);
  }
  return out;
}

/**
 * Watches alarms with DescribeAlarms: polls at once, then every `pollMs`, until an alarm is in
 * ALARM, `durationMs` has passed, or the signal aborts. The reaction time to an alarm is at most
 * one poll interval plus one API round trip. A failed poll is counted and retried at the next
 * interval (doubled while throttled, but never past the end of the watch): a watch that cannot see
 * the alarms says so in `failedPolls` rather than failing the caller.
 */
export async function watchAlarms(o: WatchAlarmsOptions): Promise<AlarmWatchResult> {
  const started = Date.now();
  const end = started + o.durationMs;
  const result: AlarmWatchResult = { watched: [], insufficientData: [], missing: [], polls: 0, failedPolls: 0, aborted: false };
  if (o.alarmNames.length === 0) return result;
  let interval = o.pollMs;
  for (;;) {
    if (o.signal?.aborted) {
      result.aborted = true;
      return result;
    }
    try {
      const states = await describeAlarmStates(o.client, o.alarmNames, o.signal);
      result.polls++;
      interval = o.pollMs;
      const found = new Set(states.map((s) => s.name));
      result.watched = [...found];
      result.missing = o.alarmNames.filter((n) => !found.has(n));
      result.insufficientData = states.filter((s) => s.state === "INSUFFICIENT_DATA").map((s) => s.name);
      const inAlarm = states.filter((s) => s.state === "ALARM");
      o.onPoll?.({ inAlarm: inAlarm.map((s) => s.name), insufficientData: result.insufficientData, ok: states.filter((s) => s.state === "OK").map((s) => s.name) });
      const first = inAlarm[0];
      if (first) {
        result.breached = { name: first.name, reason: first.reason, at: Date.now(), stateUpdatedAt: first.updatedAt };
        return result;
      }
    } catch (err) {
      if (o.signal?.aborted) {
        result.aborted = true;
        return result;
      }
      result.failedPolls++;
      interval = isThrottling(err) ? Math.min(interval * 2, 60_000) : o.pollMs;
    }
    const now = Date.now();
    if (now >= end) return result;
    const wait = Math.min(interval, end - now);
    const aborted = await new Promise<boolean>((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        o.signal?.removeEventListener("abort", onAbort);
        resolve(false);
      }, wait);
      o.signal?.addEventListener("abort", onAbort, { once: true });
    });
    if (aborted) {
      result.aborted = true;
      return result;
    }
  }
}
