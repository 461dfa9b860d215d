// Level 2 (moto over HTTP): a first rollout of an environment (src/actions/progressive-deployment/deploy.ts) with
// the real CloudFormation and CloudWatch SDK clients of two regions against moto_server 5.2.1
// (test/support/moto.ts): deployStack per wave, the alarm watch during the deploy and the bake,
// and the wave's rollback. Alarm states are set with SetAlarmState. moto is an emulator, not AWS.
//
// Only first rollouts (stacks that do not exist yet) run here: on moto, deployStack cannot update
// an existing stack (see test/aws/cloudformation/deployer.moto.test.ts), so updates, CancelUpdateStack
// (HTTP 500 on moto) and rollback to the previous template stay on aws-sdk-client-mock in
// test/actions/progressive-deployment/deploy.test.ts (level 3).
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { expect, it } from "vitest";
import { describeStack } from "../../../src/aws/cloudformation/stack.js";
import type { AlarmPollEvent, RegionClients } from "../../../src/actions/progressive-deployment/cfn-region.js";
import { deployEnvironment, type DeployEnvironmentRequest } from "../../../src/actions/progressive-deployment/deploy.js";
import { AwsEnvironment, type AwsEnvironmentInput } from "../../../src/config/sections/environments.js";
import { MOTO_ACCOUNT, motoClientConfig, resolveMoto, useMoto } from "../../support/moto.js";
import { describeReal } from "../../support/real.js";

const IMAGE = `${MOTO_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/moto-app@sha256:${"c".repeat(64)}`;
const ALARM = "moto-app-5xx";

const TEMPLATE = `Parameters:
  ImageUri:
    Type: String
  Stage:
    Type: String
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "moto-app-\${Stage}"
  ImageParameter:
    Type: AWS::SSM::Parameter
    Properties:
      Name: /moto-app/image
      Type: String
      Value: !Ref ImageUri
`;

function environment(overrides: Partial<AwsEnvironmentInput> = {}): AwsEnvironment {
  return AwsEnvironment.parse({
    account: MOTO_ACCOUNT,
    roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/dpra-deploy`,
    stackName: "moto-app",
    waves: [
      { name: "canary", regions: ["eu-west-1"] },
      { name: "rest", regions: ["eu-central-1"] },
    ],
    bakeMinutes: 0,
    monitoringMinutes: 0,
    alarms: [ALARM],
    parameters: { Stage: "gamma" },
    ...overrides,
  });
}

describeReal(
  "moto",
  () => {
    const moto = useMoto();
    const clientsFor = (region: string): RegionClients => ({
      cloudFormation: new CloudFormationClient(motoClientConfig(moto(), region)),
      cloudWatch: new CloudWatchClient(motoClientConfig(moto(), region)),
    });
    const putAlarm = (region: string) =>
      clientsFor(region).cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: ALARM,
          Namespace: "MotoApp",
          MetricName: "5xx",
          Statistic: "Sum",
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: "GreaterThanThreshold",
        }),
      );
    const rollout = (env: AwsEnvironment, extra: Partial<DeployEnvironmentRequest> = {}) => {
      const lines: string[] = [];
      const run = deployEnvironment({
        envName: "gamma",
        env,
        clientsFor,
        templateBody: TEMPLATE,
        image: IMAGE,
        runId: "run-1",
        preview: false,
        pollMs: 100,
        log: (l) => lines.push(l),
        ...extra,
      });
      return { lines, run };
    };

    it("creates the stack wave by wave with the image and parameters, alarms OK through a 0-minute bake", async () => {
      await putAlarm("eu-west-1");
      await putAlarm("eu-central-1");
      const { run, lines } = rollout(environment());
      const result = await run;
      expect(result.message).toBe("eu-west-1 created (CREATE_COMPLETE), eu-central-1 created (CREATE_COMPLETE)");
      expect(result.status).toBe("succeeded");
      expect(result.waves.map((w) => [w.name, w.status])).toEqual([
        ["canary", "succeeded"],
        ["rest", "succeeded"],
      ]);
      for (const region of ["eu-west-1", "eu-central-1"]) {
        const stack = await describeStack(clientsFor(region).cloudFormation, "moto-app");
        expect(stack?.StackStatus).toBe("CREATE_COMPLETE");
        expect(stack?.Parameters).toEqual(
          expect.arrayContaining([
            { ParameterKey: "ImageUri", ParameterValue: IMAGE },
            { ParameterKey: "Stage", ParameterValue: "gamma" },
          ]),
        );
        expect(stack?.Tags).toEqual([{ Key: "dpra:environment", Value: "gamma" }]);
      }
      expect(lines.indexOf("== gamma wave canary: eu-west-1")).toBeLessThan(lines.indexOf("== gamma wave rest: eu-central-1"));
    });

    it("an alarm that goes to ALARM during the first wave's bake rolls that wave back (the new stack is deleted) and never starts the next", async () => {
      await putAlarm("eu-west-1");
      await putAlarm("eu-central-1");
      const polls: AlarmPollEvent[] = [];
      const { run, lines } = rollout(environment({ bakeMinutes: 1 }), {
        onAlarmPoll: (poll) => {
          polls.push(poll);
          if (poll.phase === "bake" && polls.filter((p) => p.phase === "bake").length === 1) {
            void clientsFor(poll.region).cloudWatch.send(new SetAlarmStateCommand({ AlarmName: ALARM, StateValue: "ALARM", StateReason: "Threshold Crossed: 5xx > 1" }));
          }
        },
      });
      const started = Date.now();
      const result = await run;
      // The bake stopped at the breach, long before its minute was up.
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(result.status).toBe("rolled-back");
      expect(result.breach).toMatchObject({ name: ALARM, region: "eu-west-1", wave: "canary", phase: "bake", reason: "Threshold Crossed: 5xx > 1" });
      expect(result.message).toBe(`alarm ${ALARM} in eu-west-1 went to ALARM during the bake of wave canary: Threshold Crossed: 5xx > 1`);
      expect(result.regions.map((r) => [r.region, r.status, r.rollback?.method])).toEqual([
        ["eu-west-1", "rolled-back", "delete-new-stack"],
        ["eu-central-1", "not-started", undefined],
      ]);
      expect(polls.filter((p) => p.region === "eu-central-1")).toEqual([]);
      expect(await describeStack(clientsFor("eu-west-1").cloudFormation, "moto-app")).toBeUndefined();
      expect(await describeStack(clientsFor("eu-central-1").cloudFormation, "moto-app")).toBeUndefined();
      expect(lines.some((l) => l.includes("rolled back (delete-new-stack), stack DELETE_COMPLETE"))).toBe(true);
    });

    it("stops after the first wave when its alarms do not exist, since the rollout cannot be watched, and rolls it back (the one engine's rule)", async () => {
      const { run } = rollout(environment());
      const result = await run;
      expect(result.status).toBe("rolled-back");
      expect(result.message).toMatch(new RegExp(`^alarms missing after the deploy in eu-west-1: .*${ALARM} \\(config\\): MISSING`));
      expect(result.waves.map((w) => [w.name, w.status, w.missingAlarms])).toEqual([
        ["canary", "rolled-back", [ALARM]],
        ["rest", "not-started", []],
      ]);
      // Created by this run, so the rollback deleted it (gamma has no termination protection).
      expect(await describeStack(clientsFor("eu-west-1").cloudFormation, "moto-app")).toBeUndefined();
      expect(await describeStack(clientsFor("eu-central-1").cloudFormation, "moto-app")).toBeUndefined();
    });
  },
  resolveMoto,
);
