import { FisClient, GetExperimentCommand, StartExperimentCommand, StopExperimentCommand } from "@aws-sdk/client-fis";
import { dag } from "@dagger.io/dagger";
import { afterEach, describe, expect, it } from "vitest";
import { K6_IMAGE, K6_POINTS, K6_REQUEST_POINTS, K6_SUMMARY } from "../../../src/actions/capacity-tests/k6.dagger.js";
import { gammaChaosTest } from "../../../src/actions/chaos-tests/chaos-test.dagger.js";
import { mockAws } from "../../support/aws-mock.js";
import { FakeEngine, type Leaf } from "../../support/fake-engine.js";
import { Plan } from "../../support/plan.js";
import { virtualClock } from "../../support/virtual-clock.js";
import { summaryWith } from "../capacity-tests/k6-summary.sample.js";

// Plan test: the SDK talks to a loopback fake engine (nothing runs) and FIS is mocked.
let engine: FakeEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const T0 = Date.parse("2026-11-26T09:00:00Z");

function points(): string {
  const lines: string[] = [];
  for (let t = T0; t < T0 + 80_000; t += 1_000) {
    const time = new Date(t).toISOString();
    lines.push(`{"type":"Point","data":{"time":"${time}","value":100,"tags":{}},"metric":"http_req_duration"}`);
    lines.push(`{"type":"Point","data":{"time":"${time}","value":0,"tags":{}},"metric":"http_req_failed"}`);
  }
  return lines.join("\n");
}

function fileRead(leaf: Leaf, path: string): boolean {
  return leaf.field === "contents" && leaf.calls.some((c) => c.field === "file" && c.args.path === path);
}

describe("gammaChaosTest", () => {
  it("runs k6 with request samples against the endpoint while the experiment runs, and stops the experiment", async () => {
    engine = await FakeEngine.start({
      answer: (leaf) => (fileRead(leaf, K6_SUMMARY) ? summaryWith(100, 0, 20) : fileRead(leaf, K6_REQUEST_POINTS) ? points() : undefined),
    });
    const fis = mockAws(FisClient);
    fis.on(StartExperimentCommand).resolves({ experiment: { id: "EXP1", state: { status: "running" } } });
    fis.on(GetExperimentCommand).resolves({ experiment: { id: "EXP1", state: { status: "completed" } } });
    fis.on(StopExperimentCommand).resolves({ experiment: { id: "EXP1", state: { status: "stopping" } } });

    const report = await engine.run(() =>
      gammaChaosTest(
        dag.directory(),
        "load/k6.js",
        "https://gamma.fruit.example.com",
        new FisClient({ region: "eu-west-1" }),
        { experimentTemplateId: "EXTabc", clientToken: "t", warmupMs: 60_000, maxExperimentMs: 600_000, pollMs: 10_000, maxSuccessRateDrop: 0.05, maxLatencyIncrease: 0.5 },
        { runId: "run-1", clock: virtualClock(T0) },
      ),
    );

    expect(report.passed).toBe(true);
    expect(report.before.requests).toBe(60);
    const plan = new Plan(engine);
    expect(plan.images()).toEqual([K6_IMAGE]);
    expect(plan.envVariables()).toContainEqual({ name: "BASE_URL", value: "https://gamma.fruit.example.com" });
    const k6 = plan.execs().find((e) => e.args[0] === "k6");
    expect(k6?.args).toEqual(["k6", "run", "--no-color", `--summary-export=${K6_SUMMARY}`, "--out", `json=${K6_POINTS}`, "/src/load/k6.js"]);
    expect(plan.execs().find((e) => e.args[0] === "sh")?.args[2]).toContain(`> ${K6_REQUEST_POINTS}`);
    expect(fis.commandCalls(StartExperimentCommand)).toHaveLength(1);
    expect(fis.commandCalls(StopExperimentCommand)).toHaveLength(1);
    fis.restore();
  });
});
