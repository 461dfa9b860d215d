// How the wave engine (and Gamma's report of it) judges what the alarm watcher saw.
import { summariseWatch, type WatchObservations, type WatchSummary } from "./watch-summary.js";
import type { ExpectedAlarm, NoAlarmsDecision } from "./alarm-set.js";

export interface AlarmJudgement {
  status: "passed" | "failed" | "warning";
  detail: string;
  /** Why it failed, in a few words, for the stop reason. */
  why?: "breached" | "missing" | "no-alarms";
}

/**
 * One judgement for every watch period: a breached or missing alarm fails; no alarms at all follows
 * the "no alarms" rule; INSUFFICIENT_DATA for longer than the bake time warns.
 */
export function judgeAlarms(expected: readonly ExpectedAlarm[], summaries: readonly WatchSummary[], noAlarms: NoAlarmsDecision, regions?: number): AlarmJudgement {
  const lines = summaries.flatMap((m) => m.lines).join("\n");
  const watched = expected.length > 0 || summaries.some((m) => m.alarms.length > 0);
  if (!watched)
    return { status: noAlarms.status, detail: [noAlarms.detail, lines].filter(Boolean).join("\n"), ...(noAlarms.status === "failed" ? { why: "no-alarms" as const } : {}) };
  if (regions !== undefined && summaries.length < regions) return { status: "failed", detail: `reported ${summaries.length} of ${regions} regions\n${lines}`, why: "missing" };
  if (summaries.some((m) => m.breached.length > 0)) return { status: "failed", detail: lines, why: "breached" };
  if (summaries.some((m) => !m.healthy)) return { status: "failed", detail: lines, why: "missing" };
  return { status: summaries.some((m) => m.insufficientTooLong.length > 0) ? "warning" : "passed", detail: lines || "no watch reported" };
}

/** Summaries of the watch periods, each against the alarms expected in its region. */
export function summarise(observations: readonly WatchObservations[], expectedIn: (region: string | undefined) => readonly ExpectedAlarm[], bakeMs: number): WatchSummary[] {
  return observations.map((o) => summariseWatch(expectedIn(o.region), o, bakeMs));
}
