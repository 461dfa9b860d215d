import { afterEach, describe, expect, it } from "vitest";
import { dag } from "@dagger.io/dagger";
import { gammaCapacityTest } from "../../../src/actions/capacity-tests/capacity-test.dagger.js";
import { K6_IMAGE, K6_POINTS, K6_SUMMARY } from "../../../src/actions/capacity-tests/k6.dagger.js";
import { CapacityConfig } from "../../../src/config/sections/verification.js";
import { Dpra } from "../../../src/index.js";
import { FakeEngine, type Leaf } from "../../support/fake-engine.js";
import { execsOf, isPinned, Plan } from "../../support/plan.js";
import { summaryWith } from "./k6-summary.sample.js";

// Plan tests: the real SDK talks to a loopback fake engine that records each query. Nothing is
// pulled or run; they show what the module asks the engine to do.

let engine: FakeEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const capacity = CapacityConfig.parse({ script: "load/k6.js", thresholds: { p95Ms: 300, errorRate: 0.01, minRps: 5 } });
const gammaOutputs = { ApiEndpoint: "https://gamma.fruit.example.com/", ErrorsAlarm: "fruit-gamma-5xx" };

function fileRead(leaf: Leaf, path: string): boolean {
  return leaf.field === "contents" && leaf.calls.some((c) => c.field === "file" && c.args.path === path);
}

describe("capacity test plan", () => {
  it("runs k6 from the pinned image against the Gamma endpoint taken from the stack outputs", async () => {
    engine = await FakeEngine.start({ answer: (leaf) => (fileRead(leaf, K6_SUMMARY) ? summaryWith(120, 0.001, 40) : undefined) });
    const result = await engine.run(() => gammaCapacityTest(dag.directory(), capacity, { name: "fruit-api-gamma", outputs: gammaOutputs }, { runId: "run-1" }));

    expect(result.verdict.passed).toBe(true);
    const plan = new Plan(engine);
    expect(plan.images()).toEqual([K6_IMAGE]);
    expect(plan.images().every(isPinned)).toBe(true);
    expect(plan.envVariables()).toContainEqual({ name: "BASE_URL", value: "https://gamma.fruit.example.com" });
    const [k6] = plan.containersRunning("run");
    expect(k6).toBeDefined();
    const exec = execsOf(k6!)[0];
    expect(exec?.args).toEqual(["k6", "run", "--no-color", `--summary-export=${K6_SUMMARY}`, "/src/load/k6.js"]);
    expect(exec?.expect).toBe("ANY");
    expect(k6!.calls.map((c) => c.field)).toEqual(expect.arrayContaining(["from", "withMountedDirectory", "withWorkdir", "withEnvVariable", "withExec"]));
    // The run ID keeps the engine from serving a cached load test.
    expect(plan.envVariables()).toContainEqual({ name: "DPRA_RUN_ID", value: "run-1" });
    expect(plan.execs().some((e) => e.args.includes(`json=${K6_POINTS}`))).toBe(false);
  });

  it("fails before running k6 when the stack has no endpoint output", async () => {
    engine = await FakeEngine.start();
    await expect(engine.run(() => gammaCapacityTest(dag.directory(), capacity, { name: "fruit-api-gamma", outputs: { Other: "x" } }))).rejects.toThrow(
      /stack fruit-api-gamma has no output "ApiEndpoint" .*outputs: Other/,
    );
    expect(new Plan(engine).execs()).toEqual([]);
  });

  it("reports k6's own error output when k6 did not finish", async () => {
    engine = await FakeEngine.start({
      answer: (leaf) => {
        if (leaf.field === "exitCode") return 107;
        if (leaf.field === "stderr") return 'level=error msg="GoError: script exception"';
        return undefined;
      },
    });
    await expect(engine.run(() => gammaCapacityTest(dag.directory(), capacity, { name: "s", outputs: gammaOutputs }))).rejects.toThrow(
      /k6 exited with 107 before finishing the test against https:\/\/gamma\.fruit\.example\.com:\n.*script exception/,
    );
  });
});

describe("Dpra.capacityTest plan", () => {
  const yaml = "capacity:\n  script: load/k6.js\n  thresholds:\n    p95Ms: 300\n";
  const answer = (summary: string) => (leaf: Leaf) => {
    if (leaf.field === "entries") return ["dpra.yaml", "load", "package.json"];
    if (fileRead(leaf, "dpra.yaml")) return yaml;
    if (fileRead(leaf, K6_SUMMARY)) return summary;
    return undefined;
  };

  it("reads dpra.yaml, runs k6 against the given endpoint and returns the report and the new baseline", async () => {
    engine = await FakeEngine.start({ answer: answer(summaryWith(120, 0, 40)) });
    const r = await engine.run(() => new Dpra(dag.directory()).capacityTest("https://gamma.fruit.example.com/"));
    expect(r.passed).toBe(true);
    expect(r.report).toMatch(/capacity test passed/);
    expect(JSON.parse(r.baseline)).toMatchObject({ version: 1, metrics: { p95Ms: 120, rps: 40 } });
    expect(new Plan(engine).envVariables()).toContainEqual({ name: "BASE_URL", value: "https://gamma.fruit.example.com" });
  });

  it("fails the call on a threshold breach unless told not to", async () => {
    engine = await FakeEngine.start({ answer: answer(summaryWith(900, 0, 40)) });
    await expect(engine.run(() => new Dpra(dag.directory()).capacityTest("https://g.example.com"))).rejects.toThrow(/FAIL p95 latency: 900\.0 ms/);
    const kept = await engine.run(() => new Dpra(dag.directory()).capacityTest("https://g.example.com", undefined, false));
    expect(kept.passed).toBe(false);
    expect(kept.baseline).toBe("");
  });
});
