import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/load.js";
import type { ActionOutcome, ActionRunner } from "../../src/pipeline/execute.js";
import { buildRunPlan } from "../../src/pipeline/plan.js";
import { buildStageProvider } from "../../src/stages/build/provider.js";
import { checkRelease, ReleaseSetupError, runRelease } from "../../src/release/run.js";
import { runnersOf, type BuildStageOutput, type ReleaseContext, type StageProvider, type StageRegistry, type StageRunners } from "../../src/pipeline/stage.js";
import { releaseMarkdown } from "../../src/release/summary.js";
import { BUILD_IDS } from "../support/release.js";

type Ctx = ReleaseContext<string> & { log: string[] };
const YAML = `
name: fruit-api
database: { tool: dbmate }
tests: { integration: { command: "npm run it" } }
environments:
  gamma: { account: "111111111111", roleArn: "arn:aws:iam::111111111111:role/deploy", region: eu-west-1, stackName: fruit-gamma }
  prod: { account: "222222222222", roleArn: "arn:aws:iam::222222222222:role/deploy", region: eu-west-1, stackName: fruit-prod }
synthetics: { name: fruit-canary, script: canary/index.js }
`;
const config = resolveConfig(YAML, ["package.json"]);
const passed = (id: string): ActionOutcome => ({ ok: true, summary: `${id} ok` });

function fakeBuild(overrides: Record<string, ActionOutcome> = {}, image: string | null = "image@sha256:abc") {
  let calls = 0;
  const run = async (): Promise<BuildStageOutput<string>> => {
    calls++;
    return { actions: Object.fromEntries(BUILD_IDS.map((id) => [id, overrides[id] ?? passed(id)])), ...(image ? { image, imageDigest: "sha256:abc" } : {}) };
  };
  return { run, calls: () => calls };
}

/** A Beta provider that records what it ran and which image it saw. */
const fakeBeta: StageProvider<Ctx, "beta"> = {
  stage: "beta",
  runners: (ctx) =>
    runnersOf("beta", (id): ActionRunner => async () => {
      ctx.log.push(`${id} with ${ctx.build?.image ?? "no image"}`);
      return passed(id);
    }),
};

describe("release composition", () => {
  it("release --env beta runs build once, then Beta on the build's image", async () => {
    const build = fakeBuild();
    const ctx: Ctx = { log: [] };
    const run = await runRelease(buildRunPlan(config, "beta"), { build: buildStageProvider(build.run), beta: fakeBeta }, ctx);
    expect(run.verdict).toBe("passed");
    expect(build.calls()).toBe(1);
    expect(ctx.log).toEqual([
      "beta.launch-env with image@sha256:abc",
      "beta.db-deploy with image@sha256:abc",
      "beta.deploy-software with image@sha256:abc",
      "beta.integration-tests with image@sha256:abc",
    ]);
    expect(ctx.build?.imageDigest).toBe("sha256:abc");
  });

  it("a failing build action stops the release before Beta and names the failure", async () => {
    const ctx: Ctx = { log: [] };
    const build = fakeBuild({ "build.unit-tests": { ok: false, summary: "3 of 120 tests failed: fruits › rejects empty names" } });
    const run = await runRelease(buildRunPlan(config, "beta"), { build: buildStageProvider(build.run), beta: fakeBeta }, ctx);
    expect(run.verdict).toBe("failed");
    expect(run.failure).toBe("build.unit-tests failed: 3 of 120 tests failed: fruits › rejects empty names");
    expect(ctx.log).toEqual([]);
    const beta = run.stages.find((s) => s.id === "beta")!;
    expect(beta.actions.filter((a) => a.status === "cancelled").map((a) => a.id)).toEqual(["beta.launch-env", "beta.db-deploy", "beta.deploy-software", "beta.integration-tests"]);
    expect(releaseMarkdown(run, "sha256:abc")).toMatch(/\*\*Stopped by:\*\* build\.unit-tests failed/);
  });

  it("a build that packages nothing fails the package action instead of deploying nothing", async () => {
    const ctx: Ctx = { log: [] };
    const run = await runRelease(buildRunPlan(config, "beta"), { build: buildStageProvider(fakeBuild({}, null).run), beta: fakeBeta }, ctx);
    expect(run.failure).toBe("build.package-artifacts failed: the build stage reported a package but handed on no image");
  });

  it("a build action the build stage does not report is a failure, not a silent pass", async () => {
    const run = await runRelease(
      buildRunPlan(config, "beta"),
      { build: buildStageProvider(async () => ({ actions: { "build.build-code": passed("x") }, image: "i" })), beta: fakeBeta },
      { log: [] } as Ctx,
    );
    expect(run.failure).toMatch(/^build\.(unit-tests|code-quality|secrets-detection|sast) failed: the build stage reported no outcome for build\./);
  });

  it("release --env gamma and --env prod fail before anything runs, naming the missing stage", async () => {
    const build = fakeBuild();
    const registry: StageRegistry<Ctx> = { build: buildStageProvider(build.run), beta: fakeBeta };
    await expect(runRelease(buildRunPlan(config, "gamma"), registry, { log: [] })).rejects.toThrow(
      "release --env gamma needs the Test (Gamma) stage, and no provider for it is registered (stages registered: build, beta). Register a StageProvider for gamma.",
    );
    await expect(runRelease(buildRunPlan(config, "prod"), registry, { log: [] })).rejects.toThrow(/needs the Test \(Gamma\) stage/);
    expect(build.calls()).toBe(0);
  });

  it("a Gamma stage plugs in by registering a provider; Prod is then the missing one", async () => {
    const gamma: StageProvider<Ctx, "gamma"> = {
      stage: "gamma",
      // A runner for every Gamma action; the release uses those the plan runs.
      runners: () => runnersOf("gamma", (id) => async () => passed(id)),
    };
    const registry: StageRegistry<Ctx> = { build: buildStageProvider(fakeBuild().run), beta: fakeBeta, gamma };
    const run = await runRelease(buildRunPlan(config, "gamma"), registry, { log: [] });
    expect(run.verdict).toBe("passed");
    expect(run.stages.find((s) => s.id === "gamma")!.status).toBe("succeeded");
    expect(() => checkRelease(buildRunPlan(config, "prod"), registry)).toThrow(/needs the Prod stage/);
  });

  it("refuses a gamma release that would skip required DPRA actions", () => {
    const bare = resolveConfig("name: bare\n", ["package.json"]);
    const registry: StageRegistry<Ctx> = { build: buildStageProvider(fakeBuild().run), beta: fakeBeta, gamma: { stage: "gamma", runners: () => ({}) as StageRunners<"gamma"> } };
    expect(() => checkRelease(buildRunPlan(bare, "gamma"), registry)).toThrow(ReleaseSetupError);
    expect(() => checkRelease(buildRunPlan(bare, "gamma"), registry)).toThrow(
      /required DPRA actions are not configured:\n {2}- gamma\.launch-env \(Launch Environment, required by the DPRA\): set environments\.gamma/,
    );
  });
});
