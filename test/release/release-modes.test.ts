// The release's modes without AWS calls: argument checks, publish after Beta (and only after it
// passed), the AWS stages refusing what this version cannot run before anything runs, and accepting
// an application with a database (the DB deploy of Gamma and Prod).
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resolveConfig } from "../../src/config/load.js";
import type { CredentialSecrets } from "../../src/inputs/credentials.dagger.js";
import { release, releasePlan, type ReleaseInput } from "../../src/release/release.dagger.js";
import { runnersOf, type StageProvider } from "../../src/pipeline/stage.js";
import type { DaggerReleaseContext } from "../../src/pipeline/context.dagger.js";
import { repoRoot } from "../support/fixtures.js";
import { CI_APPROVAL, FakeWorld, FILES, KEY_ID, passingBeta, passingBuild, REF, SECRET_KEY, sourceOf, YAML } from "../support/release.js";

const keys = (): CredentialSecrets =>
  ({ awsAccessKeyId: { plaintext: async () => KEY_ID }, awsSecretAccessKey: { plaintext: async () => SECRET_KEY } }) as unknown as CredentialSecrets;
const config = resolveConfig(YAML, ["package.json", "package-lock.json"]);

beforeEach(() => vi.spyOn(console, "log").mockImplementation(() => undefined));
afterEach(() => vi.restoreAllMocks());

describe("releasePlan", () => {
  it("with --digest, marks the stages before the target as provided: nothing is rebuilt or retested", () => {
    const gamma = releasePlan(config, "gamma", { digest: REF });
    expect(gamma.stages.filter((s) => s.runs).map((s) => s.id)).toEqual(["gamma"]);
    expect(gamma.stages.find((s) => s.id === "build")!.actions.find((a) => a.name === "package-artifacts")!.detail).toContain(REF);
    const prod = releasePlan(config, "prod", { digest: REF });
    expect(prod.stages.filter((s) => s.runs).map((s) => s.id)).toEqual(["prod"]);
    expect(prod.stages.find((s) => s.id === "gamma")!.actions.every((a) => a.state !== "run")).toBe(true);
    // Without a digest, everything up to the target runs.
    expect(
      releasePlan(config, "prod", {})
        .stages.filter((s) => s.runs)
        .map((s) => s.id),
    ).toEqual(["build", "beta", "gamma", "prod"]);
  });

  it.each([
    ["beta", { digest: REF }, /--digest deploys a published image to gamma or prod/],
    ["gamma", { digest: REF, publish: true }, /with --digest the image is already published/],
    ["gamma", { digest: "fruit-api:latest" }, /expected the reference publish returned, <registry>\/<repository>@sha256/],
    ["prod", { digest: `fruit-api@sha256:${"a".repeat(64)}` }, /expected the reference publish returned/],
  ] as const)("refuses --env %s with %o", (env, opts, message) => {
    expect(() => releasePlan(config, env, opts)).toThrow(message);
  });

  it("refuses to start a release that would have to publish without an artifact section", () => {
    const bare = resolveConfig(YAML.replace(/artifact:\n {2}ecr: .*\n/, ""), ["package.json", "package-lock.json"]);
    expect(bare.artifact).toBeUndefined();
    expect(() => releasePlan(bare, "gamma", {})).toThrow(/release --env gamma publishes the image to ECR after Beta, and dpra.yaml has no artifact section/);
    expect(() => releasePlan(bare, "beta", { publish: true })).toThrow(/--env beta --publish publishes/);
    expect(releasePlan(bare, "gamma", { digest: REF }).target).toBe("gamma");
    expect(releasePlan(bare, "beta", {}).target).toBe("beta");
  });
});

function input(over: Partial<ReleaseInput>): ReleaseInput {
  return { source: sourceOf(FILES), env: "beta", build: passingBuild(), failOnError: false, stages: { beta: passingBeta }, runId: "run-m", ...over };
}

describe("release modes", () => {
  it("--env beta --publish publishes once, after Beta passed, and returns the reference", async () => {
    const order: string[] = [];
    const beta: StageProvider<DaggerReleaseContext, "beta"> = {
      stage: "beta",
      runners: () => runnersOf("beta", (id) => async () => (order.push(id), { ok: true, summary: "ok" })),
    };
    const result = await release(input({ publish: true, stages: { beta }, aws: { secrets: keys(), world: new FakeWorld(), publisher: async () => (order.push("publish"), REF) } }));
    expect(result.verdict).toBe("passed");
    expect(result.digest).toBe(REF);
    expect(order[order.length - 1]).toBe("publish");
    expect(order.filter((o) => o === "publish")).toHaveLength(1);
    expect(result.markdown).toContain(`Published as: \`${REF}\``);
  });

  it("a failing Beta publishes nothing", async () => {
    let published = 0;
    const failing: StageProvider<DaggerReleaseContext, "beta"> = {
      stage: "beta",
      runners: (ctx) => ({ ...passingBeta.runners(ctx), "beta.launch-env": async () => ({ ok: false, summary: "app never became ready" }) }),
    };
    const result = await release(input({ publish: true, stages: { beta: failing }, aws: { secrets: keys(), world: new FakeWorld(), publisher: async () => (published++, REF) } }));
    expect(result.verdict).toBe("failed");
    expect(result.failure).toBe("beta.launch-env failed: app never became ready");
    expect(published).toBe(0);
    expect(result.digest).toBe("");
  });

  it("a publish that fails fails the release, naming it", async () => {
    const result = await release(input({ publish: true, aws: { secrets: keys(), world: new FakeWorld(), publisher: async () => Promise.reject(new Error("ECR: AccessDenied")) } }));
    expect(result).toMatchObject({ verdict: "failed", failure: "publishing after Beta failed: ECR: AccessDenied" });
  });

  it("gamma without credentials fails before the build runs, naming the arguments", async () => {
    let built = false;
    const build = async () => ((built = true), passingBuild()());
    await expect(release(input({ env: "gamma", build, aws: { secrets: {}, world: new FakeWorld() } }))).rejects.toThrow(/No AWS credentials given/);
    expect(built).toBe(false);
  });

  it("an application with a database is released to gamma and prod: fruit-api's own config is not refused at setup", async () => {
    const fruitYaml = readFileSync(path.join(repoRoot, "examples", "fruit-api", "dpra.yaml"), "utf8");
    const fruitTemplate = readFileSync(path.join(repoRoot, "examples", "fruit-api", "infra", "template.yaml"), "utf8");
    const files = { ...FILES, "dpra.yaml": fruitYaml, "infra/template.yaml": fruitTemplate, Dockerfile: "FROM scratch\n", "db/migrations/1_init.sql": "" };
    const plan = releasePlan(resolveConfig(fruitYaml, Object.keys(files)), "prod", {});
    for (const id of ["gamma.db-deploy", "prod.db-deploy"]) {
      expect(plan.stages.flatMap((st) => st.actions).find((a) => a.id === id)!.state).toBe("run");
    }
    let built = false;
    // The build runs (so the setup passed) and fails: nothing after it runs.
    const build = async () => {
      built = true;
      return { actions: { "build.build-code": { ok: false, summary: "stopped here by the test" } } };
    };
    const result = await release(input({ env: "prod", source: sourceOf(files), build, approval: { approvedBy: "alice" }, aws: { secrets: keys(), world: new FakeWorld() } }));
    expect(built).toBe(true);
    expect(result.failure).toMatch(/^build\.build-code failed: stopped here by the test/);
  });

  it.each([
    [
      "a required parameter nobody supplies",
      (t: string) => t.replace("    Type: String\n", "    Type: String\n  CodeBucket:\n    Type: String\n"),
      /\[gamma\] Parameters\.CodeBucket: has no Default/,
    ],
    ["a missing output", (t: string) => t.replace(/Outputs:\n {2}ApiEndpoint:\n.*\n/, ""), /\[gamma\] Outputs\.ApiEndpoint: is read by dpra\.yaml synthetics\.endpointOutput/],
    [
      "a strategy the template does not implement",
      (t: string) => t.replace("Strategy: BLUE_GREEN", "Strategy: ROLLING"),
      /\[gamma\] Resources\.Service\.Properties\.DeploymentConfiguration\.Strategy: is "ROLLING"/,
    ],
  ])("release --env prod with %s is refused by the contract before the build, credentials or any AWS client", async (_what, change, message) => {
    let built = false;
    const build = async () => ((built = true), passingBuild()());
    const world = new FakeWorld();
    const source = sourceOf({ ...FILES, "infra/template.yaml": change(FILES["infra/template.yaml"]) });
    // No credentials at all: had the release read them first, it would fail with "No AWS credentials given".
    await expect(release(input({ env: "prod", source, build, approval: CI_APPROVAL, aws: { secrets: {}, world } }))).rejects.toThrow(message);
    await expect(release(input({ env: "gamma", digest: REF, source, build, aws: { secrets: keys(), world } }))).rejects.toThrow(/^infra\/template\.yaml is invalid/);
    expect({ built, regions: world.regions.size, calls: world.calls, credentials: world.credentialsSeen }).toEqual({ built: false, regions: 0, calls: [], credentials: [] });
  });
});
