import { describe, expect, it } from "vitest";
import { declaredAlarmOutputs, noAlarmsRule, regionAlarmSet } from "../../../src/actions/monitoring/alarm-set.js";
import { validateConfig } from "../../../src/config/load.js";
import { AwsEnvironment } from "../../../src/config/sections/environments.js";

const base = { account: "123456789012", roleArn: "arn:aws:iam::123456789012:role/dpra-deploy", stackName: "fruit-api", region: "eu-west-1" };

describe("the alarm set: dpra.yaml plus the template-output convention", () => {
  it("puts dpra.yaml's alarms first, then the stack's alarm outputs, as ARNs of the region; at most five triggers", () => {
    const env = AwsEnvironment.parse({ ...base, alarms: ["app-5xx", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:edge"] });
    const set = regionAlarmSet(env, "eu-west-1", {
      ApiEndpoint: "https://x",
      ErrorsAlarm: "app-5xx",
      LatencyAlarmArn: "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:app-p99",
      HealthAlarms: "a, b, c, d",
    });
    expect(set.names).toEqual(["app-5xx", "app-p99", "a", "b", "c", "d"]);
    expect(set.triggers.map((t) => t.arn)).toEqual([
      "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:app-5xx",
      "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:app-p99",
      "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a",
      "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:b",
      "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:c",
    ]);
    expect(set.watchedOnly).toEqual(["d"]);
  });

  it("reads the alarm outputs a template declares, and says when it cannot tell", () => {
    expect(declaredAlarmOutputs("Outputs:\n  ErrorsAlarm:\n    Value: !Ref Errors\n  ApiEndpoint:\n    Value: x\n")).toEqual(["ErrorsAlarm"]);
    expect(declaredAlarmOutputs("Resources: {}\n")).toEqual([]);
    expect(declaredAlarmOutputs("not: [valid")).toBeUndefined();
  });
});

describe("the no-alarms rule", () => {
  it("refuses prod, warns elsewhere, and accepts prod's opt-out with its reason", () => {
    expect(noAlarmsRule("prod", undefined)).toMatchObject({ status: "failed", detail: expect.stringMatching(/allowNoAlarms\.reason/) });
    expect(noAlarmsRule("gamma", undefined)).toMatchObject({ status: "warning" });
    expect(noAlarmsRule("prod", { reason: "batch worker, no traffic" })).toEqual({
      status: "warning",
      detail: "no alarms, on purpose (environments.prod.allowNoAlarms: batch worker, no traffic): nothing can trigger a rollback",
    });
  });

  it("is configured in dpra.yaml with a reason, and the rollback scope with one of two values", () => {
    const env = AwsEnvironment.parse({ ...base, allowNoAlarms: { reason: "batch worker, no traffic" }, rollbackScope: "failed-wave" });
    expect(env).toMatchObject({ allowNoAlarms: { reason: "batch worker, no traffic" }, rollbackScope: "failed-wave" });
    expect(AwsEnvironment.parse(base).rollbackScope).toBe("all-deployed");
    expect(() => validateConfig({ environments: { prod: { ...base, allowNoAlarms: { reason: "why" } } } })).toThrow(/environments\.prod\.allowNoAlarms\.reason.*say why/);
    expect(() => validateConfig({ environments: { prod: { ...base, rollbackScope: "everything" } } })).toThrow(/environments\.prod\.rollbackScope/);
  });
});
