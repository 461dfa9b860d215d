// Plan tests of the tool modules: what each module asks the engine to do, recorded by the loopback
// fake engine. Not engine runs: nothing is pulled or executed.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { dag } from "@dagger.io/dagger";
import { FakeEngine, type Leaf } from "../support/fake-engine.js";
import { execsOf, isPinned, Plan } from "../support/plan.js";
import { fixturePath } from "../support/fixtures.js";
import { Gitleaks } from "../../modules/gitleaks/src/index.js";
import { Semgrep } from "../../modules/semgrep/src/index.js";
import { Trivy } from "../../modules/trivy/src/index.js";

let engine: FakeEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const readsFile = (leaf: Leaf, path: string) => leaf.calls.some((c) => c.field === "file" && c.args.path === path);
/** The same call appears once per query that selects it: compare distinct values. */
const distinct = <T>(items: T[]): T[] => [...new Map(items.map((i) => [JSON.stringify(i), i])).values()];
const ranTool = (leaf: Leaf, tool: string) => leaf.calls.some((c) => c.field === "withExec" && (c.args.args as string[])[0] === tool);

describe("gitleaks module", () => {
  it("turns exit code 1 (leaks found) into a scan with the report, in the pinned image, redacted", async () => {
    const report = readFileSync(fixturePath("gitleaks", "pygoat-gitleaks-git-report.json"), "utf8");
    engine = await FakeEngine.start({
      answer: (leaf) => {
        if (leaf.field === "exitCode" && ranTool(leaf, "gitleaks")) return 1;
        if (leaf.field === "contents" && readsFile(leaf, "/reports/gitleaks.json")) return report;
        return undefined;
      },
    });
    const { exitCode, contents } = await engine.run(async () => {
      const scan = new Gitleaks().git(dag.directory(), "main..HEAD");
      return { exitCode: await scan.exitCode(), contents: await scan.report().contents() };
    });
    expect(exitCode).toBe(1);
    expect(JSON.parse(contents)).toHaveLength(11);
    const plan = new Plan(engine);
    expect(plan.images()).toHaveLength(1);
    expect(plan.images().every(isPinned)).toBe(true);
    const execs = distinct(plan.execs().map((e) => ({ args: e.args, expect: e.expect })));
    expect(execs).toHaveLength(1);
    expect(execs[0]!.expect).toBe("ANY");
    expect(execs[0]!.args).toEqual(expect.arrayContaining(["git", "--redact", "--log-opts=main..HEAD"]));
  });

  it("runs the SARIF report only when asked, from the same base, not after the JSON scan", async () => {
    engine = await FakeEngine.start();
    await engine.run(async () => {
      const scan = new Gitleaks().dir(dag.directory());
      await Promise.all([scan.report().contents(), scan.sarif().contents()]);
    });
    const plan = new Plan(engine);
    const json = plan.containersRunning("json")[0]!;
    const sarif = plan.containersRunning("sarif")[0]!;
    expect(execsOf(sarif)).toHaveLength(1);
    expect(plan.derivesFrom(sarif, json)).toBe(false);
  });

  it("uses the caller's container instead of the pinned image", async () => {
    const own = `alpine/gitleaks:1@sha256:${"e".repeat(64)}`;
    engine = await FakeEngine.start();
    await engine.run(() => new Gitleaks(undefined, dag.container().from(own)).dir(dag.directory()).report().contents());
    expect(new Plan(engine).images()).toEqual([own]);
  });
});

describe("semgrep module", () => {
  it("mounts its cache at a fixed path, runs offline flags, and keeps a failed run as a result", async () => {
    engine = await FakeEngine.start({
      answer: (leaf) => (leaf.field === "exitCode" && ranTool(leaf, "semgrep") ? 2 : undefined),
    });
    const code = await engine.run(() => new Semgrep().scan(dag.directory(), ["rules/"]).exitCode());
    expect(code).toBe(2);
    const plan = new Plan(engine);
    expect(distinct(plan.cacheMounts())).toEqual([{ path: "/root/.semgrep", key: "semgrep-user-data" }]);
    expect(plan.images().every(isPinned)).toBe(true);
    const [exec] = plan.execs();
    expect(exec!.expect).toBe("ANY");
    expect(exec!.args).toEqual(expect.arrayContaining(["--metrics=off", "--disable-version-check", "--config", "rules/"]));
    // Local rules are inputs of the exec: nothing else needs to invalidate its cache.
    expect(plan.envVariables().map((e) => e.name)).not.toContain("SCAN_DAY");
  });

  it("makes the day an input when registry rulesets are used, so cached results are at most a day old", async () => {
    engine = await FakeEngine.start();
    await engine.run(() => new Semgrep().scan(dag.directory(), [], undefined, ["p/default"]).report().contents());
    const day = new Plan(engine).envVariables().find((e) => e.name === "SCAN_DAY");
    expect(day?.value).toBe(new Date().toISOString().slice(0, 10));
  });
});

describe("trivy module", () => {
  it("mounts the DB cache, scans fs, and converts the same run's JSON to SARIF", async () => {
    engine = await FakeEngine.start();
    await engine.run(async () => {
      const scan = new Trivy().fs(dag.directory(), ["vuln", "misconfig"], ["HIGH"]);
      await scan.report().contents();
      await scan.sarif().contents();
    });
    const plan = new Plan(engine);
    expect(distinct(plan.cacheMounts())).toEqual([{ path: "/root/.cache/trivy", key: "trivy-cache" }]);
    // A DB update is not an input of the exec: the day is, so vulnerability data is at most a day old.
    expect(distinct(plan.envVariables())).toContainEqual({ name: "SCAN_DAY", value: new Date().toISOString().slice(0, 10) });
    expect(plan.images().every(isPinned)).toBe(true);
    const convert = plan.containersRunning("convert")[0]!;
    expect(execsOf(convert).map((e) => e.args.slice(0, 2))).toEqual([
      ["trivy", "fs"],
      ["trivy", "convert"],
    ]);
    expect(execsOf(convert).every((e) => e.expect === "ANY")).toBe(true);
  });

  it("scans an image from its OCI tarball, without a registry", async () => {
    engine = await FakeEngine.start();
    await engine.run(() =>
      new Trivy()
        .image(dag.container().from(`nginx:1@sha256:${"f".repeat(64)}`))
        .report()
        .contents(),
    );
    const plan = new Plan(engine);
    const mount = plan.callsNamed("withMountedFile").find(({ call }) => call.args.path === "/input/image.tar");
    expect(plan.origin(mount!.call.args.source)?.map((c) => c.field)).toEqual(["container", "from", "asTarball"]);
  });
});
