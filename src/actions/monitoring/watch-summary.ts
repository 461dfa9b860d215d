/**
 * Monitoring summary: which alarms were watched, for how long, and what looked wrong. The alarm
 * watcher (the deploy issue's mechanism) produces the observations; this module only judges them.
 * Shared by the wave engine, Gamma and Prod.
 */

import { alarmName, type ExpectedAlarm } from "./alarm-set.js";

// The alarm-set rule (dpra.yaml plus the template-output convention) is alarms.ts's.
export { alarmName, alarmsFromOutputs, expectedAlarms, type ExpectedAlarm } from "./alarm-set.js";

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

/** What the watcher saw of one alarm: its state changes in time order (the first entry is the state at the start). */
export interface AlarmObservation {
  alarm: string;
  /** False when DescribeAlarms did not return the alarm. */
  exists: boolean;
  transitions: { state: AlarmState; at: number }[];
}

/** One watch period (during a deploy, a traffic shift or a bake). */
export interface WatchObservations {
  phase: string;
  region?: string;
  startedAt: number;
  endedAt: number;
  alarms: AlarmObservation[];
}

export interface WatchedAlarm {
  alarm: string;
  source: ExpectedAlarm["source"] | "watcher";
  finalState: AlarmState | "MISSING";
  msInState: Record<AlarmState, number>;
  /** Longest unbroken INSUFFICIENT_DATA stretch. */
  longestInsufficientMs: number;
  breachedAt?: number;
}

export interface WatchSummary {
  phase: string;
  region?: string;
  watchedMs: number;
  alarms: WatchedAlarm[];
  missing: string[];
  /** In INSUFFICIENT_DATA for longer than the bake time: the alarm cannot protect the deploy. */
  insufficientTooLong: { alarm: string; ms: number }[];
  breached: { alarm: string; at: number }[];
  /** No breach and no missing alarm. INSUFFICIENT_DATA is reported but does not fail on its own. */
  healthy: boolean;
  lines: string[];
}

const secs = (ms: number) => `${Math.round(ms / 1000)} s`;

export function summariseWatch(expected: readonly ExpectedAlarm[], obs: WatchObservations, bakeMs: number): WatchSummary {
  const watchedMs = Math.max(0, obs.endedAt - obs.startedAt);
  const byName = new Map(obs.alarms.map((a) => [alarmName(a.alarm), a]));
  const names = [...expected.map((e) => ({ name: e.name, source: e.source as WatchedAlarm["source"] }))];
  for (const a of obs.alarms) if (!expected.some((e) => e.name === alarmName(a.alarm))) names.push({ name: alarmName(a.alarm), source: "watcher" });

  const alarms: WatchedAlarm[] = [];
  const missing: string[] = [];
  const insufficientTooLong: WatchSummary["insufficientTooLong"] = [];
  const breached: WatchSummary["breached"] = [];
  for (const { name, source } of names) {
    const o = byName.get(name);
    const msInState: Record<AlarmState, number> = { OK: 0, ALARM: 0, INSUFFICIENT_DATA: 0 };
    if (!o || !o.exists || o.transitions.length === 0) {
      missing.push(name);
      alarms.push({ alarm: name, source, finalState: "MISSING", msInState, longestInsufficientMs: 0 });
      continue;
    }
    const ts = [...o.transitions].sort((a, b) => a.at - b.at);
    let longestInsufficientMs = 0;
    let breachedAt: number | undefined;
    ts.forEach((t, i) => {
      const from = Math.max(t.at, obs.startedAt);
      const to = Math.min(ts[i + 1]?.at ?? obs.endedAt, obs.endedAt);
      const ms = Math.max(0, to - from);
      msInState[t.state] += ms;
      if (t.state === "INSUFFICIENT_DATA") longestInsufficientMs = Math.max(longestInsufficientMs, ms);
      if (t.state === "ALARM" && breachedAt === undefined) breachedAt = from;
    });
    if (breachedAt !== undefined) breached.push({ alarm: name, at: breachedAt });
    if (longestInsufficientMs > bakeMs) insufficientTooLong.push({ alarm: name, ms: longestInsufficientMs });
    alarms.push({ alarm: name, source, finalState: ts[ts.length - 1]?.state as AlarmState, msInState, longestInsufficientMs, breachedAt });
  }

  const where = obs.region ? ` in ${obs.region}` : "";
  const lines = [`${obs.phase}${where}: watched ${alarms.length} alarm(s) for ${secs(watchedMs)}`];
  for (const a of alarms) {
    const detail =
      a.finalState === "MISSING"
        ? "MISSING: no such alarm (check the name, the region and the stack outputs)"
        : `${a.finalState}; OK ${secs(a.msInState.OK)}, ALARM ${secs(a.msInState.ALARM)}, INSUFFICIENT_DATA ${secs(a.msInState.INSUFFICIENT_DATA)}`;
    lines.push(`  ${a.alarm} (${a.source}): ${detail}`);
  }
  for (const i of insufficientTooLong) {
    lines.push(`  warning: ${i.alarm} was INSUFFICIENT_DATA for ${secs(i.ms)}, longer than the bake time (${secs(bakeMs)}): it could not have caught a breach`);
  }
  if (expected.length === 0 && obs.alarms.length === 0) lines.push("  warning: no alarms at all: nothing can trigger a rollback");
  return {
    phase: obs.phase,
    region: obs.region,
    watchedMs,
    alarms,
    missing,
    insufficientTooLong,
    breached,
    healthy: missing.length === 0 && breached.length === 0,
    lines,
  };
}

/** One poll of an alarm watcher: which alarms were in which state at that moment. */
export interface AlarmPoll {
  at: number;
  inAlarm: readonly string[];
  insufficientData: readonly string[];
  ok: readonly string[];
}

/**
 * Builds the observations of one watch period from the watcher's polls (e.g. collected with the
 * alarm watcher's `onPoll` callback): each alarm's state changes between polls become transitions.
 * Alarms listed as missing by the watcher are recorded as not existing.
 */
export function observationsFromPolls(
  phase: string,
  region: string | undefined,
  startedAt: number,
  endedAt: number,
  polls: readonly AlarmPoll[],
  missing: readonly string[] = [],
): WatchObservations {
  const byAlarm = new Map<string, AlarmObservation>();
  const note = (alarm: string, state: AlarmState, at: number) => {
    const name = alarmName(alarm);
    let o = byAlarm.get(name);
    if (!o) {
      o = { alarm: name, exists: true, transitions: [] };
      byAlarm.set(name, o);
    }
    if (o.transitions[o.transitions.length - 1]?.state !== state) o.transitions.push({ state, at });
  };
  for (const poll of [...polls].sort((a, b) => a.at - b.at)) {
    for (const a of poll.ok) note(a, "OK", poll.at);
    for (const a of poll.insufficientData) note(a, "INSUFFICIENT_DATA", poll.at);
    for (const a of poll.inAlarm) note(a, "ALARM", poll.at);
  }
  for (const m of missing) byAlarm.set(alarmName(m), { alarm: alarmName(m), exists: false, transitions: [] });
  return { phase, region, startedAt, endedAt, alarms: [...byAlarm.values()] };
}
