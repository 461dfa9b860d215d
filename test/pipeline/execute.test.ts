import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/load.js";
import { executePlan, type ActionOutcome, type ActionRunner, type PlanRun } from "../../src/pipeline/execute.js";
import { buildRunPlan, runnableActions, type RunPlan } from "../../src/pipeline/plan.js";

const YAML = `
name: fruit-api
tests:
  integration: { command: "npm run test:integration" }
  e2e: { command: "npm run test:e2e" }
database: { tool: dbmate }
`;

function plan(): RunPlan {
  return buildRunPlan(resolveConfig(YAML, ["package.json"]), "beta");
}

interface Deferred {
  resolve: (o: ActionOutcome) => void;
  reject: (e: Error) => void;
  signal: AbortSignal;
}

/** Runners that wait until the test settles them, recording which actions are running at once. */
function controlled(p: RunPlan) {
  const running = new Map<string, Deferred>();
  const started: string[] = [];
  const runners: Record<string, ActionRunner> = {};
  for (const a of runnableActions(p)) {
    runners[a.id] = ({ signal }) =>
      new Promise<ActionOutcome>((resolve, reject) => {
        started.push(a.id);
        running.set(a.id, {
          resolve: (o) => {
            running.delete(a.id);
            resolve(o);
          },
          reject: (e) => {
            running.delete(a.id);
            reject(e);
          },
          signal,
        });
      });
  }
  /** Waits until the executor has started everything it can (nothing new starts for a few ticks). */
  const idle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };
  const now = () => [...running.keys()].sort();
  const ok = async (id: string) => {
    running.get(id)!.resolve({ ok: true, summary: `${id} done`, reports: [`${id}.xml`] });
    await idle();
  };
  const fail = async (id: string, summary = "boom") => {
    running.get(id)!.resolve({ ok: false, summary });
    await idle();
  };
  return { runners, started, now, ok, fail, idle, running };
}

const status = (run: PlanRun, id: string) => run.stages.flatMap((s) => s.actions).find((a) => a.id === id)!;

describe("executePlan", () => {
  it("runs the build service concurrently, then package, SCA, and Beta in order", async () => {
    const p = plan();
    const c = controlled(p);
    const done = executePlan(p, c.runners);
    await c.idle();
    expect(c.now()).toEqual(["build.build-code", "build.code-quality", "build.sast", "build.secrets-detection", "build.unit-tests"]);
    await c.ok("build.build-code");
    expect(c.now()).toContain("build.package-artifacts");
    await c.ok("build.package-artifacts");
    expect(c.now()).toContain("build.sca");
    for (const id of ["build.unit-tests", "build.code-quality", "build.secrets-detection", "build.sast"]) await c.ok(id);
    // Beta waits for the whole build stage: SCA is still running.
    expect(c.now()).toEqual(["build.sca"]);
    await c.ok("build.sca");
    expect(c.now()).toEqual(["beta.launch-env"]);
    await c.ok("beta.launch-env");
    expect(c.now()).toEqual(["beta.db-deploy"]);
    await c.ok("beta.db-deploy");
    expect(c.now()).toEqual(["beta.deploy-software"]);
    await c.ok("beta.deploy-software");
    expect(c.now()).toEqual(["beta.e2e-tests", "beta.integration-tests"]);
    await c.ok("beta.e2e-tests");
    await c.ok("beta.integration-tests");
    const run = await done;
    expect(run.verdict).toBe("passed");
    expect(run.failure).toBeUndefined();
    expect(status(run, "beta.e2e-tests")).toMatchObject({ status: "succeeded", reports: ["beta.e2e-tests.xml"] });
    expect(status(run, "gamma.launch-env").status).toBe("skipped");
    expect(status(run, "gamma.launch-env").summary).toMatch(/^not in this run/);
  });

  it("when a test fails, cancels what depends on it, lets independent siblings finish and stops later stages", async () => {
    const p = plan();
    const c = controlled(p);
    const done = executePlan(p, c.runners);
    await c.idle();
    await c.fail("build.build-code", "tsc: 3 errors");
    // Package depended on the build: cancelled, never started.
    expect(c.started).not.toContain("build.package-artifacts");
    // The other build-service actions still run to the end.
    expect(c.now()).toEqual(["build.code-quality", "build.sast", "build.secrets-detection", "build.unit-tests"]);
    for (const id of c.now()) await c.ok(id);
    const run = await done;
    expect(run.verdict).toBe("failed");
    expect(run.failure).toBe("build.build-code failed: tsc: 3 errors");
    expect(status(run, "build.package-artifacts")).toMatchObject({ status: "cancelled", summary: "cancelled: depends on build.build-code, which failed" });
    expect(status(run, "build.sca")).toMatchObject({ status: "cancelled", summary: "cancelled: depends on build.package-artifacts, which did not run" });
    expect(status(run, "build.sast").status).toBe("succeeded");
    for (const id of ["beta.launch-env", "beta.db-deploy", "beta.deploy-software", "beta.integration-tests", "beta.e2e-tests"]) {
      expect(status(run, id).status, id).toBe("cancelled");
      expect(status(run, id).summary).toBe("not started: build.build-code failed: tsc: 3 errors");
    }
    expect(c.started.some((id) => id.startsWith("beta."))).toBe(false);
    expect(run.stages.find((s) => s.id === "build")!.status).toBe("failed");
    expect(run.stages.find((s) => s.id === "beta")!.status).toBe("cancelled");
  });

  it("a failed DB deploy cancels the app deploy and both test suites", async () => {
    const p = plan();
    const c = controlled(p);
    const done = executePlan(p, c.runners);
    await c.idle();
    for (const id of [
      "build.build-code",
      "build.unit-tests",
      "build.code-quality",
      "build.secrets-detection",
      "build.sast",
      "build.package-artifacts",
      "build.sca",
      "beta.launch-env",
    ])
      await c.ok(id);
    await c.fail("beta.db-deploy", "dbmate: checksum mismatch");
    const run = await done;
    expect(run.failure).toBe("beta.db-deploy failed: dbmate: checksum mismatch");
    expect(c.started).not.toContain("beta.deploy-software");
    expect(status(run, "beta.integration-tests").summary).toBe("cancelled: depends on beta.deploy-software, which did not run");
  });

  it("treats a runner that throws as a failure with its message", async () => {
    const p = plan();
    const runners: Record<string, ActionRunner> = {};
    for (const a of runnableActions(p)) runners[a.id] = async () => ({ ok: true, summary: "ok" });
    runners["beta.launch-env"] = async () => {
      throw new Error("postgres did not start");
    };
    const run = await executePlan(p, runners);
    expect(run.verdict).toBe("failed");
    expect(run.failure).toBe("beta.launch-env failed: postgres did not start");
    expect(status(run, "build.sca").status).toBe("succeeded");
  });

  it("refuses to start when an action of the plan has no runner", async () => {
    await expect(executePlan(plan(), {})).rejects.toThrow(/no runner for build\.build-code, .*beta\.e2e-tests/);
  });

  it("bounds concurrency when asked", async () => {
    const p = plan();
    const c = controlled(p);
    const done = executePlan(p, c.runners, { maxConcurrency: 2 });
    await c.idle();
    expect(c.now()).toEqual(["build.build-code", "build.unit-tests"]);
    while (c.running.size > 0) await c.ok(c.now()[0]!);
    expect((await done).verdict).toBe("passed");
  });

  it("stops on cancellation: running actions see the signal, nothing new starts", async () => {
    const p = plan();
    const c = controlled(p);
    const abort = new AbortController();
    const done = executePlan(p, c.runners, { signal: abort.signal });
    await c.idle();
    abort.abort();
    expect(c.running.get("build.sast")!.signal.aborted).toBe(true);
    for (const id of c.now()) {
      c.running.get(id)!.reject(new Error("aborted"));
      await c.idle();
    }
    const run = await done;
    expect(run.verdict).toBe("cancelled");
    expect(status(run, "build.sast").status).toBe("cancelled");
    expect(status(run, "beta.launch-env").summary).toBe("not started: the run was cancelled");
    expect(c.started).not.toContain("build.package-artifacts");
  });

  it("measures durations with the given clock", async () => {
    const p = plan();
    let t = 0;
    const runners: Record<string, ActionRunner> = {};
    for (const a of runnableActions(p))
      runners[a.id] = async () => {
        t += 10;
        return { ok: true, summary: "ok" };
      };
    const run = await executePlan(p, runners, { now: () => t });
    expect(status(run, "build.build-code").durationMs).toBeGreaterThanOrEqual(10);
    expect(run.stages.find((s) => s.id === "beta")!.durationMs).toBe(50);
  });
});
