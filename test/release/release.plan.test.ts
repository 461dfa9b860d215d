// PLAN TESTS of release (fake engine: requests recorded, nothing run). The build stage is a fake
// BuildStageRunner handing on a container, as the real build will.
import { afterEach, describe, expect, it } from "vitest";
import { dag, type Container } from "@dagger.io/dagger";
import { FakeEngine, type Leaf } from "../support/fake-engine.js";
import { Plan } from "../support/plan.js";
import { Dpra } from "../../src/index.js";
import { release } from "../../src/release/release.dagger.js";
import type { BuildStageOutput } from "../../src/pipeline/stage.js";
import { BUILD_IDS } from "../support/release.js";

const APP_BASE = `node:22-alpine@sha256:${"c".repeat(64)}`;
const YAML = "name: fruit-api\n";

let engine: FakeEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

function answer(leaf: Leaf): unknown {
  if (leaf.field === "entries") return ["dpra.yaml", "package.json"];
  if (leaf.field === "contents" && leaf.calls.some((c) => c.field === "file" && c.args.path === "dpra.yaml")) return YAML;
  if (leaf.field === "entrypoint") return [];
  if (leaf.field === "defaultArgs") return ["node", "server.js"];
  if (leaf.field === "start") return "fake-started";
  if (leaf.field === "stdout" && leaf.calls.some((c) => c.field === "withExec" && (c.args.args as string[])[3] === "probe")) return "DPRA_READY 200 1s\n";
  return undefined;
}

function fakeBuild(failing?: string) {
  return async (): Promise<BuildStageOutput<Container>> => ({
    actions: Object.fromEntries(
      BUILD_IDS.map((id) => [id, id === failing ? { ok: false, summary: "semgrep: 2 blocking findings" } : { ok: true, summary: "ok", reports: [`build/${id}.json`] }]),
    ),
    image: dag.container().from(APP_BASE).withNewFile("/app/server.js", "built"),
    imageDigest: `sha256:${"d".repeat(64)}`,
  });
}

describe("release plan", () => {
  it("release --env beta: build, then Beta on the build's image; the result carries the digest and every action", async () => {
    engine = await FakeEngine.start({ answer });
    const result = await engine.run(() => release({ source: dag.directory(), env: "beta", build: fakeBuild(), failOnError: true }));
    expect(result.verdict).toBe("passed");
    expect(result.imageDigest).toBe(`sha256:${"d".repeat(64)}`);
    expect(result.stages.map((s) => [s.id, s.status])).toEqual([
      ["source", "skipped"],
      ["pre-commit", "skipped"],
      ["build", "succeeded"],
      ["beta", "succeeded"],
      ["gamma", "skipped"],
      ["prod", "skipped"],
    ]);
    expect(result.stages.find((s) => s.id === "build")!.actions.find((a) => a.name === "sast")!.reports).toEqual(["build/build.sast.json"]);
    // No database configured: no PostgreSQL, the app runs without one.
    const plan = new Plan(engine);
    expect(plan.images().some((i) => i.startsWith("postgres:"))).toBe(false);
    expect(plan.callsNamed("asService").length).toBeGreaterThan(0);
    expect(result.markdown).toMatch(/^# dpra release --env beta: PASSED/);
  });

  it("stops after a failing build action: Beta never starts, and the call fails naming the action", async () => {
    engine = await FakeEngine.start({ answer });
    await expect(engine.run(() => release({ source: dag.directory(), env: "beta", build: fakeBuild("build.sast"), failOnError: true }))).rejects.toThrow(
      /release --env beta failed: build\.sast failed: semgrep: 2 blocking findings/,
    );
    const plan = new Plan(engine);
    expect(plan.callsNamed("asService")).toEqual([]);
    expect(plan.callsNamed("withServiceBinding")).toEqual([]);
  });

  it("with failOnError=false returns the failed result and its reports instead", async () => {
    engine = await FakeEngine.start({ answer });
    const result = await engine.run(async () => {
      const r = await release({ source: dag.directory(), env: "beta", build: fakeBuild("build.sast"), failOnError: false });
      await r.reports.id(); // as the module runtime does when it returns the object
      return r;
    });
    expect(result).toMatchObject({ verdict: "failed", failure: "build.sast failed: semgrep: 2 blocking findings" });
    expect(result.stages.find((s) => s.id === "beta")!.actions.map((a) => a.status)).toEqual(["cancelled", "skipped", "cancelled", "skipped", "skipped"]);
    const files = new Plan(engine).callsNamed("withNewFile").map(({ call }) => call.args.path);
    expect(files).toEqual(expect.arrayContaining(["release.md", "release.json"]));
  });

  it("release --env gamma without environments.gamma fails at once, naming what to configure; nothing is built", async () => {
    engine = await FakeEngine.start({ answer });
    let built = false;
    const build = async () => {
      built = true;
      return fakeBuild()();
    };
    await expect(engine.run(() => release({ source: dag.directory(), env: "gamma", build, failOnError: true }))).rejects.toThrow(
      /release --env gamma: required DPRA actions are not configured:\n {2}- gamma\.launch-env \(Launch Environment, required by the DPRA\): set environments\.gamma in dpra\.yaml/,
    );
    expect(built).toBe(false);
  });

  it("dagger call plan prints the plan in the requested format", async () => {
    engine = await FakeEngine.start({ answer });
    const out = await engine.run(() => new Dpra(dag.directory()).plan("beta", "mermaid"));
    expect(out).toMatch(/^flowchart LR/);
    expect(out).toContain('beta_db_deploy["Database Deploy (not configured)"]:::recommendedOff');
    await expect(engine.run(() => new Dpra(dag.directory()).plan("staging", "text"))).rejects.toThrow('unknown environment "staging": expected beta, gamma or prod');
  });
});
