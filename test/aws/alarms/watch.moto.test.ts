// Level 2 (moto over HTTP): the rollout's alarm watch (src/aws/alarms/watch.ts) with the real
// CloudWatch SDK client against moto_server 5.2.1 (test/support/moto.ts). Alarms are made with
// PutMetricAlarm and their states set with SetAlarmState, as an operator or CloudWatch would;
// what is tested is how describeAlarmStates and watchAlarms read them. moto is an emulator, not AWS.
//
// Not served by moto 5.2.1 (found by a failed attempt here, pinned by the "moto gap" tests, and
// covered on aws-sdk-client-mock in test/aws/alarms/watch.test.ts, level 3):
// - composite alarms: PutCompositeAlarm answers HTTP 500 ("The PutCompositeAlarm action has not
//   been implemented");
// - a new alarm starts in OK ("Unchecked: Initial alarm creation"), where AWS starts it in
//   INSUFFICIENT_DATA; the INSUFFICIENT_DATA state is set here with SetAlarmState instead;
// - throttling and failed polls: moto does not throttle.
import { CloudWatchClient, PutCompositeAlarmCommand, PutMetricAlarmCommand, SetAlarmStateCommand, type StateValue } from "@aws-sdk/client-cloudwatch";
import { beforeEach, expect, it, vi } from "vitest";
import { alarmsForRegion } from "../../../src/aws/alarms/arn.js";
import { describeAlarmStates, watchAlarms } from "../../../src/aws/alarms/watch.js";
import { MOTO_ACCOUNT, MOTO_REGION, motoClientConfig, resolveMoto, useMoto } from "../../support/moto.js";
import { describeReal } from "../../support/real.js";

describeReal(
  "moto",
  () => {
    const moto = useMoto();
    let cw: CloudWatchClient;
    beforeEach(() => {
      cw = new CloudWatchClient(motoClientConfig(moto()));
    });
    const putAlarm = (name: string) =>
      cw.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          Namespace: "MotoApp",
          MetricName: "5xx",
          Statistic: "Sum",
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: "GreaterThanThreshold",
        }),
      );
    const setState = (name: string, state: StateValue, reason: string) => cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: reason }));

    it("describeAlarmStates reads each alarm's state and reason, and leaves out names that do not exist", async () => {
      await putAlarm("moto-app-5xx");
      await putAlarm("moto-app-latency");
      await setState("moto-app-5xx", "ALARM", "Threshold Crossed: 1 datapoint [3.0] was greater than the threshold (1.0).");
      await setState("moto-app-latency", "INSUFFICIENT_DATA", "no datapoints");
      const states = await describeAlarmStates(cw, ["moto-app-5xx", "moto-app-latency", "moto-app-ghost"]);
      expect(states.map(({ name, state, reason }) => ({ name, state, reason }))).toEqual([
        { name: "moto-app-5xx", state: "ALARM", reason: "Threshold Crossed: 1 datapoint [3.0] was greater than the threshold (1.0)." },
        { name: "moto-app-latency", state: "INSUFFICIENT_DATA", reason: "no datapoints" },
      ]);
      for (const s of states) expect(Number.isNaN(Date.parse(s.updatedAt ?? ""))).toBe(false);
    });

    it("describeAlarmStates asks for more than 100 names in batches of 100 and returns them all", async () => {
      const names = Array.from({ length: 105 }, (_, i) => `moto-app-${String(i).padStart(3, "0")}`);
      for (const name of names) await putAlarm(name);
      await setState("moto-app-104", "ALARM", "the last one");
      const states = await describeAlarmStates(cw, names);
      expect(states.map((s) => s.name).sort()).toEqual(names);
      expect(states.filter((s) => s.state === "ALARM").map((s) => s.name)).toEqual(["moto-app-104"]);
    });

    it("watchAlarms returns the first alarm that goes to ALARM during the watch, within a poll interval or so", async () => {
      await putAlarm("moto-app-5xx");
      await putAlarm("moto-app-latency");
      const polls: string[][] = [];
      let flippedAt = 0;
      const result = await watchAlarms({
        client: cw,
        alarmNames: alarmsForRegion(["moto-app-5xx", `arn:aws:cloudwatch:${MOTO_REGION}:${MOTO_ACCOUNT}:alarm:moto-app-latency`], MOTO_REGION, MOTO_ACCOUNT).map((a) => a.name),
        durationMs: 20_000,
        pollMs: 100,
        onPoll: (state) => {
          polls.push(state.inAlarm);
          // After the second clean poll, the error rate crosses the threshold.
          if (polls.length === 2) {
            flippedAt = Date.now();
            void setState("moto-app-5xx", "ALARM", "Threshold Crossed: 5xx > 1");
          }
        },
      });
      expect(result.breached).toMatchObject({ name: "moto-app-5xx", reason: "Threshold Crossed: 5xx > 1" });
      expect(result.watched.sort()).toEqual(["moto-app-5xx", "moto-app-latency"]);
      expect(polls.slice(0, 2)).toEqual([[], []]);
      expect(result.failedPolls).toBe(0);
      // One interval, plus the SetAlarmState and DescribeAlarms round trips on a shared machine.
      expect(result.breached!.at - flippedAt).toBeLessThan(3_000);
    });

    it("watchAlarms watches for its whole duration when nothing breaches, and reports insufficient data and missing alarms", async () => {
      await putAlarm("moto-app-5xx");
      await putAlarm("moto-app-latency");
      await setState("moto-app-latency", "INSUFFICIENT_DATA", "no datapoints");
      const started = Date.now();
      const result = await watchAlarms({ client: cw, alarmNames: ["moto-app-5xx", "moto-app-latency", "moto-app-ghost"], durationMs: 600, pollMs: 100 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(600);
      expect(result.breached).toBeUndefined();
      expect(result.insufficientData).toEqual(["moto-app-latency"]);
      expect(result.missing).toEqual(["moto-app-ghost"]);
      expect(result.polls).toBeGreaterThanOrEqual(3);
      expect(result.failedPolls).toBe(0);
    });

    it("moto gap: a new metric alarm starts in OK (AWS: INSUFFICIENT_DATA)", async () => {
      await putAlarm("moto-app-5xx");
      const [state] = await describeAlarmStates(cw, ["moto-app-5xx"]);
      expect(state).toMatchObject({ name: "moto-app-5xx", state: "OK", reason: "Unchecked: Initial alarm creation" });
    });

    it("moto gap: PutCompositeAlarm is not implemented (HTTP 500), so composite alarms are not watched here", async () => {
      const error = await cw.send(new PutCompositeAlarmCommand({ AlarmName: "moto-app-any", AlarmRule: 'ALARM("moto-app-5xx")' })).then(
        () => undefined,
        (e: unknown) => e as { $metadata?: { httpStatusCode?: number } },
      );
      expect(error?.$metadata?.httpStatusCode).toBe(500);
      // The traceback reaches moto's stderr just after the response.
      await vi.waitFor(() => expect(moto().output()).toContain("The put_composite_alarm action has not been implemented"), { timeout: 5_000 });
    });
  },
  resolveMoto,
);
