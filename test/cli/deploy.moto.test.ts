// Level 2 (moto over HTTP): the engine-free `dpra diff` and `dpra deploy` run in-process with the
// SDK's standard environment (AWS_ENDPOINT_URL, AWS_REGION, static keys from test/support/moto.ts),
// chaining into the environment's role through moto's STS. moto is an emulator, not AWS.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { CloudFormationClient, DescribeStacksCommand, ListChangeSetsCommand } from "@aws-sdk/client-cloudformation";
import { expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { repoRoot } from "../support/fixtures.js";
import { motoClientConfig, resolveMoto, useMoto, useMotoEnvironment } from "../support/moto.js";
import { describeReal } from "../support/real.js";
import { putSmallAppAlarm, SMALL_APP_IMAGE, smallApp } from "../support/small-app.js";

const IMAGE = SMALL_APP_IMAGE;
const app = (): string => smallApp();

describeReal(
  "moto",
  () => {
    const moto = useMoto();
    useMotoEnvironment(moto);

    it("dpra diff on the example's gamma environment lists its changes, exits 0 and executes nothing", async () => {
      const run = await runCli(
        [
          "diff",
          "--env",
          "gamma",
          "--source",
          path.join(repoRoot, "examples", "fruit-api"),
          "--image",
          `111111111111.dkr.ecr.eu-west-1.amazonaws.com/fruit-api@sha256:${"e".repeat(64)}`,
        ],
        repoRoot,
      );
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^gamma fruit-api-gamma: preview/);
      expect(run.stdout).toMatch(/change set dpra-\w+: \d+ to add, 0 to modify, 0 to remove/);
      expect(run.stderr).toMatch(/change set/);
    }, 120_000);

    it("dpra deploy creates a small app's stack, with --format json on stdout and progress on stderr", async () => {
      const dir = app();
      await putSmallAppAlarm(moto());
      const run = await runCli(["deploy", "--env", "gamma", "--image", IMAGE, "--format", "json"], dir);
      expect(run.code, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout) as { schema: string; status: string; regions: Array<{ region: string; status: string }> };
      expect(result).toMatchObject({ schema: "dpra-deploy/v1", status: "succeeded", regions: [{ region: "eu-west-1", status: "created" }] });
      const cfn = new CloudFormationClient(motoClientConfig(moto(), "eu-west-1"));
      const stacks = await cfn.send(new DescribeStacksCommand({ StackName: "cli-app-gamma" }));
      expect(stacks.Stacks?.[0]?.Parameters).toContainEqual({ ParameterKey: "ImageUri", ParameterValue: IMAGE });
    }, 120_000);

    it("refuses before any AWS write: an undigested image (exit 2) and prod without an approval (exit 1)", async () => {
      const dir = app();
      const unpinned = await runCli(["deploy", "--env", "gamma", "--image", "cli-app:latest"], dir);
      expect(unpinned.code).toBe(2);
      expect(unpinned.stderr).toMatch(/--image "cli-app:latest"/);
      writeFileSync(
        path.join(dir, "dpra.yaml"),
        `${(await import("node:fs")).readFileSync(path.join(dir, "dpra.yaml"), "utf8").replace("  gamma:", "  prod:").replace("cli-app-gamma", "cli-app-prod")}`,
      );
      const prod = await runCli(["deploy", "--env", "prod", "--image", IMAGE, "--approved-by", "mallory"], dir);
      expect(prod.code).toBe(1);
      expect(prod.stderr).toMatch(/prod needs an approval and none was found, so nothing was deployed to prod/);
      const cfn = new CloudFormationClient(motoClientConfig(moto(), "eu-west-1"));
      await expect(cfn.send(new DescribeStacksCommand({ StackName: "cli-app-prod" }))).rejects.toThrow(/does not exist/);
      expect((await cfn.send(new ListChangeSetsCommand({ StackName: "cli-app-prod" }))).Summaries).toEqual([]);
    }, 120_000);
  },
  resolveMoto,
);
