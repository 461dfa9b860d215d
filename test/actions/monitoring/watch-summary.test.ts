import { describe, expect, it } from "vitest";
import { alarmName, alarmsFromOutputs, expectedAlarms, observationsFromPolls, summariseWatch, type WatchObservations } from "../../../src/actions/monitoring/watch-summary.js";

const T = Date.parse("2026-11-26T09:00:00Z");
const min = 60_000;

describe("alarms from outputs and config", () => {
  it("takes outputs ending in Alarm/Alarms/AlarmName/AlarmArn, splits lists and turns ARNs into names", () => {
    const outputs = {
      ApiEndpoint: "https://x",
      Latency5xxAlarm: "fruit-api-gamma-5xx",
      CanaryAlarms: "fruit-api-gamma-canary, fruit-api-gamma-p99",
      TargetAlarmArn: "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:fruit-api-gamma-unhealthy-hosts",
    };
    expect(alarmsFromOutputs(outputs)).toEqual(["fruit-api-gamma-5xx", "fruit-api-gamma-canary", "fruit-api-gamma-p99", "fruit-api-gamma-unhealthy-hosts"]);
    expect(alarmName("plain-name")).toBe("plain-name");
  });

  it("lists stack-output alarms first and adds config alarms once", () => {
    expect(expectedAlarms({ XAlarm: "a" }, ["a", "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:b"])).toEqual([
      { name: "a", source: "stack-output" },
      { name: "b", source: "config" },
    ]);
  });
});

describe("summariseWatch", () => {
  const obs = (alarms: WatchObservations["alarms"], minutes = 10): WatchObservations => ({
    phase: "bake",
    region: "eu-west-1",
    startedAt: T,
    endedAt: T + minutes * min,
    alarms,
  });

  it("reports what was watched and for how long, per state", () => {
    const s = summariseWatch(
      [{ name: "5xx", source: "stack-output" }],
      obs([
        {
          alarm: "5xx",
          exists: true,
          transitions: [
            { state: "INSUFFICIENT_DATA", at: T - min },
            { state: "OK", at: T + 2 * min },
          ],
        },
      ]),
      5 * min,
    );
    expect(s.healthy).toBe(true);
    expect(s.watchedMs).toBe(10 * min);
    expect(s.alarms[0]).toMatchObject({ finalState: "OK", msInState: { OK: 8 * min, INSUFFICIENT_DATA: 2 * min, ALARM: 0 } });
    expect(s.lines[0]).toBe("bake in eu-west-1: watched 1 alarm(s) for 600 s");
    expect(s.lines[1]).toMatch(/5xx \(stack-output\): OK; OK 480 s, ALARM 0 s, INSUFFICIENT_DATA 120 s/);
  });

  it("reports a missing alarm and fails", () => {
    const s = summariseWatch(
      [
        { name: "5xx", source: "config" },
        { name: "typo", source: "config" },
      ],
      obs([
        { alarm: "5xx", exists: true, transitions: [{ state: "OK", at: T }] },
        { alarm: "typo", exists: false, transitions: [] },
      ]),
      5 * min,
    );
    expect(s.missing).toEqual(["typo"]);
    expect(s.healthy).toBe(false);
    expect(s.lines.join("\n")).toMatch(/typo \(config\): MISSING/);
  });

  it("reports an alarm in INSUFFICIENT_DATA for longer than the bake time, without failing on it alone", () => {
    const s = summariseWatch([{ name: "p99", source: "stack-output" }], obs([{ alarm: "p99", exists: true, transitions: [{ state: "INSUFFICIENT_DATA", at: T }] }]), 5 * min);
    expect(s.insufficientTooLong).toEqual([{ alarm: "p99", ms: 10 * min }]);
    expect(s.healthy).toBe(true);
    expect(s.lines.join("\n")).toMatch(/warning: p99 was INSUFFICIENT_DATA for 600 s, longer than the bake time \(300 s\)/);
    // Shorter than the bake time: not reported.
    expect(
      summariseWatch([{ name: "p99", source: "stack-output" }], obs([{ alarm: "p99", exists: true, transitions: [{ state: "INSUFFICIENT_DATA", at: T }] }], 4), 5 * min)
        .insufficientTooLong,
    ).toEqual([]);
  });

  it("reports a breach with its time, and alarms the watcher saw beyond the expected ones", () => {
    const s = summariseWatch(
      [{ name: "5xx", source: "stack-output" }],
      obs([
        {
          alarm: "5xx",
          exists: true,
          transitions: [
            { state: "OK", at: T },
            { state: "ALARM", at: T + 3 * min },
          ],
        },
        { alarm: "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:extra", exists: true, transitions: [{ state: "OK", at: T }] },
      ]),
      5 * min,
    );
    expect(s.breached).toEqual([{ alarm: "5xx", at: T + 3 * min }]);
    expect(s.healthy).toBe(false);
    expect(s.alarms.map((a) => [a.alarm, a.source])).toEqual([
      ["5xx", "stack-output"],
      ["extra", "watcher"],
    ]);
  });
});

describe("observationsFromPolls", () => {
  it("turns the watcher's polls into state changes and keeps missing alarms", () => {
    const obs = observationsFromPolls(
      "bake",
      "eu-west-1",
      T,
      T + 10 * min,
      [
        { at: T, ok: ["5xx"], insufficientData: ["p99"], inAlarm: [] },
        { at: T + 2 * min, ok: ["5xx"], insufficientData: ["p99"], inAlarm: [] },
        { at: T + 4 * min, ok: ["p99"], insufficientData: [], inAlarm: ["5xx"] },
      ],
      ["typo"],
    );
    expect(obs.alarms).toEqual([
      {
        alarm: "5xx",
        exists: true,
        transitions: [
          { state: "OK", at: T },
          { state: "ALARM", at: T + 4 * min },
        ],
      },
      {
        alarm: "p99",
        exists: true,
        transitions: [
          { state: "INSUFFICIENT_DATA", at: T },
          { state: "OK", at: T + 4 * min },
        ],
      },
      { alarm: "typo", exists: false, transitions: [] },
    ]);
    const s = summariseWatch(
      [
        { name: "5xx", source: "stack-output" },
        { name: "p99", source: "stack-output" },
        { name: "typo", source: "config" },
      ],
      obs,
      3 * min,
    );
    expect(s.breached).toEqual([{ alarm: "5xx", at: T + 4 * min }]);
    expect(s.insufficientTooLong).toEqual([{ alarm: "p99", ms: 4 * min }]);
    expect(s.missing).toEqual(["typo"]);
  });
});
