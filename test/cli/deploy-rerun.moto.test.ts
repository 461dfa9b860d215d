// Level 2 (moto over HTTP): `dpra deploy` of the small app (test/support/small-app.ts) in-process,
// with the SDK's standard environment pointed at moto_server 5.2.1: the config↔template contract
// refuses before any AWS write, a rerun without changes reports "no changes" and exits 0, a changed
// parameter updates the stack, and `bakeMinutes: 0` bakes for 0 s. moto is an emulator, not AWS.
// The runs' stdout and stderr are written to $DPRA_CLI_TRANSCRIPT when it is set (for the closing note).
import { appendFileSync } from "node:fs";
import { CloudFormationClient, DescribeStacksCommand, ListChangeSetsCommand, ListStacksCommand } from "@aws-sdk/client-cloudformation";
import { beforeEach, expect, it } from "vitest";
import { runCli, type CliRun } from "../support/cli.js";
import { motoClientConfig, resolveMoto, useMoto, useMotoEnvironment } from "../support/moto.js";
import { describeReal } from "../support/real.js";
import { putSmallAppAlarm, SMALL_APP_IMAGE, SMALL_APP_REGION, SMALL_APP_STACK, SMALL_APP_TEMPLATE, smallApp } from "../support/small-app.js";

async function deploy(dir: string, extra: string[] = []): Promise<CliRun> {
  const args = ["deploy", "--env", "gamma", "--image", SMALL_APP_IMAGE, ...extra];
  const run = await runCli(args, dir);
  const transcript = process.env.DPRA_CLI_TRANSCRIPT;
  if (transcript) appendFileSync(transcript, `$ dpra ${args.join(" ")}\n# exit ${run.code}\n# stdout\n${run.stdout}# stderr\n${run.stderr}\n`);
  return run;
}

describeReal(
  "moto",
  () => {
    const moto = useMoto();
    useMotoEnvironment(moto);
    let cfn: CloudFormationClient;
    beforeEach(async () => {
      cfn = new CloudFormationClient(motoClientConfig(moto(), SMALL_APP_REGION));
      await putSmallAppAlarm(moto());
    });
    const stackNames = async () => ((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).map((s) => s.StackName);

    it.each([
      [
        "a required parameter nobody supplies",
        SMALL_APP_TEMPLATE.replace("Resources:", "  CodeBucket:\n    Type: String\nResources:"),
        /template\.yaml \[gamma\] Parameters\.CodeBucket: has no Default and neither dpra\.yaml nor the pipeline supplies it; add a Default in template\.yaml or set environments\.gamma\.parameters\.CodeBucket/,
      ],
      [
        "a missing output",
        SMALL_APP_TEMPLATE.replace(/Outputs:\n {2}ApiEndpoint:\n.*\n/, ""),
        /template\.yaml \[gamma\] Outputs\.ApiEndpoint: is read by dpra\.yaml capacity\.endpointOutput but template\.yaml has no such output/,
      ],
      [
        "a strategy the template does not implement",
        SMALL_APP_TEMPLATE.replace("Strategy: ROLLING", "Strategy: BLUE_GREEN"),
        /\[gamma\] Resources\.Service\.Properties\.DeploymentConfiguration\.Strategy: is "BLUE_GREEN", but environments\.gamma\.deployment\.strategy is rolling/,
      ],
    ])(
      "refuses %s with exit 2, naming it; moto has no stack and no change set",
      async (_what, template, message) => {
        const run = await deploy(smallApp({ template }));
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(message);
        expect(run.stdout).toBe("");
        expect(await stackNames()).toEqual([]);
        await expect(cfn.send(new ListChangeSetsCommand({ StackName: SMALL_APP_STACK }))).resolves.toMatchObject({ Summaries: [] });
      },
      60_000,
    );

    it("creates the stack; a rerun without changes reports no changes and exits 0, deleting the empty change set; a changed parameter updates the stack", async () => {
      const dir = smallApp({ bakeMinutes: 0 });
      const created = await deploy(dir, ["--run-id", "run-1"]);
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toMatch(/^gamma cli-app-gamma: succeeded .*\n {2}eu-west-1 \(wave 1\): created \[CREATE_COMPLETE\]/);
      // bakeMinutes: 0 is accepted and the bake lasts 0 s (the default would be 5 minutes).
      expect(created.stderr).toContain("== gamma wave 1: baking 0s, watching eu-west-1: cli-app-5xx");

      // The same command again resumes the same content-derived run: nothing new is created.
      const same = await deploy(dir, ["--run-id", "run-1"]);
      expect(same.code, same.stderr).toBe(0);
      expect(same.stderr).toContain("resuming: change set dpra-run-1 is EXECUTE_COMPLETE");

      // A new pipeline run (a new run ID, as CI passes --run-id) of the same content: no changes.
      const rerun = await deploy(dir, ["--run-id", "run-2"]);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(rerun.stdout).toMatch(/^gamma cli-app-gamma: no-change .*\n {2}eu-west-1 \(wave 1\): no-change \[CREATE_COMPLETE\]/);
      expect(rerun.stderr).toContain(
        "no changes: The submitted information didn't contain changes. Submit different information to create a change set.; deleted the empty change set dpra-run-2",
      );
      expect(rerun.stderr).toContain("== gamma wave 1: no changes; no bake needed");
      const sets = (await cfn.send(new ListChangeSetsCommand({ StackName: SMALL_APP_STACK }))).Summaries ?? [];
      expect(sets.map((s) => [s.ChangeSetName, s.ExecutionStatus])).toEqual([["dpra-run-1", "EXECUTE_COMPLETE"]]);

      const changed = await deploy(smallApp({ parameters: "Greeting: hi" }), ["--run-id", "run-3", "--format", "json"]);
      expect(changed.code, changed.stderr).toBe(0);
      expect(JSON.parse(changed.stdout)).toMatchObject({ status: "succeeded", regions: [{ region: SMALL_APP_REGION, status: "updated", stackStatus: "UPDATE_COMPLETE" }] });
      const [stack] = (await cfn.send(new DescribeStacksCommand({ StackName: SMALL_APP_STACK }))).Stacks ?? [];
      expect(stack?.StackStatus).toBe("UPDATE_COMPLETE");
      expect(stack?.Parameters).toContainEqual({ ParameterKey: "Greeting", ParameterValue: "hi" });
      expect(stack?.Parameters).toContainEqual({ ParameterKey: "ImageUri", ParameterValue: SMALL_APP_IMAGE });
    }, 120_000);
  },
  resolveMoto,
);
