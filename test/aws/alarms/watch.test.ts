import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { alarmsForRegion } from "../../../src/aws/alarms/arn.js";
import { partitionOf } from "../../../src/aws/partition.js";
import { watchAlarms } from "../../../src/aws/alarms/index.js";
import { FakeRegion, drive } from "../../support/fake-aws.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");

beforeEach(() => vi.useFakeTimers({ now: T0 }));
afterEach(() => vi.useRealTimers());

describe("watchAlarms", () => {
  it("returns the first alarm in ALARM within one poll interval plus one round trip", async () => {
    const flipAt = T0 + 47_300;
    const fake = new FakeRegion("eu-west-1", "app", {
      latencyMs: 180,
      alarms: {
        "app-5xx": [
          { at: T0, state: "OK" },
          { at: flipAt, state: "ALARM", reason: "Threshold Crossed: 3 datapoints > 5" },
        ],
      },
    });
    const result = await drive(watchAlarms({ client: fake.cw, alarmNames: ["app-5xx"], durationMs: 600_000, pollMs: 5000 }), vi, 10);
    expect(result.breached).toMatchObject({ name: "app-5xx", reason: "Threshold Crossed: 3 datapoints > 5" });
    const reaction = result.breached!.at - flipAt;
    expect(reaction).toBeGreaterThan(0);
    expect(reaction).toBeLessThanOrEqual(5000 + 180);
  });

  it("watches for the whole duration when nothing breaches, and reports insufficient data and missing alarms", async () => {
    const fake = new FakeRegion("eu-west-1", "app", { alarms: { a: [{ at: T0, state: "OK" }], b: [{ at: T0, state: "INSUFFICIENT_DATA" }] } });
    const result = await drive(watchAlarms({ client: fake.cw, alarmNames: ["a", "b", "ghost"], durationMs: 60_000, pollMs: 5000 }), vi);
    expect(result.breached).toBeUndefined();
    expect(result.watched).toEqual(["a", "b"]);
    expect(result.insufficientData).toEqual(["b"]);
    expect(result.missing).toEqual(["ghost"]);
    // A poll at 0, every 5 s, and one at the end.
    expect(result.polls).toBe(13);
    expect(Date.now() - T0).toBeGreaterThanOrEqual(60_000);
  });

  it("stops when the signal aborts", async () => {
    const fake = new FakeRegion("eu-west-1", "app", { alarms: { a: [{ at: T0, state: "OK" }] } });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 12_000);
    const result = await drive(watchAlarms({ client: fake.cw, alarmNames: ["a"], durationMs: 600_000, pollMs: 5000, signal: ac.signal }), vi);
    expect(result.aborted).toBe(true);
    expect(Date.now() - T0).toBeLessThan(13_000);
  });

  it("asks for metric and composite alarms in batches of 100 names", async () => {
    const names = Array.from({ length: 150 }, (_, i) => `alarm-${i}`);
    const fake = new FakeRegion("eu-west-1", "app", { alarms: Object.fromEntries(names.map((n) => [n, [{ at: T0, state: "OK" as const }]])) });
    const result = await drive(watchAlarms({ client: fake.cw, alarmNames: names, durationMs: 0, pollMs: 5000 }), vi);
    expect(result.watched).toHaveLength(150);
    const calls = fake.callsOf("DescribeAlarms");
    expect(calls.map((c) => (c.input.AlarmNames as string[]).length)).toEqual([100, 50]);
    expect(calls[0]?.input.AlarmTypes).toEqual(["MetricAlarm", "CompositeAlarm"]);
  });

  it("returns at once with nothing to watch", async () => {
    const fake = new FakeRegion("eu-west-1", "app", {});
    const result = await watchAlarms({ client: fake.cw, alarmNames: [], durationMs: 600_000, pollMs: 5000 });
    expect(result).toMatchObject({ polls: 0, watched: [] });
  });
});

describe("alarm references", () => {
  it("turns names into ARNs of each region and keeps ARNs to their own region", () => {
    const configured = ["app-5xx", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:edge-latency"];
    expect(alarmsForRegion(configured, "eu-west-1", "123456789012")).toEqual([
      { name: "app-5xx", arn: "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:app-5xx", region: "eu-west-1" },
    ]);
    expect(alarmsForRegion(configured, "us-east-1", "123456789012").map((a) => a.name)).toEqual(["app-5xx", "edge-latency"]);
    expect(partitionOf("cn-north-1")).toBe("aws-cn");
    expect(partitionOf("us-gov-west-1")).toBe("aws-us-gov");
  });
});
