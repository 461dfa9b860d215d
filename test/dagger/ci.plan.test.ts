import { afterEach, describe, expect, it } from "vitest";
import { dag } from "@dagger.io/dagger";
import { FakeEngine } from "../support/fake-engine.js";
import { execsOf, isPinned, Plan } from "../support/plan.js";
import { DpraCi } from "../../dagger/src/index.js";

let engine: FakeEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

describe("dagger/ self-CI module (plan test: records requests, runs nothing)", () => {
  it("check installs from the lockfile and runs npm test in a pinned node image with npm's cache mounted", async () => {
    engine = await FakeEngine.start({ answer: (leaf) => (leaf.field === "stdout" ? "Tests  9 passed (9)" : undefined) });
    const out = await engine.run(() => new DpraCi().check(dag.directory()));
    expect(out).toContain("passed");
    const plan = new Plan(engine);
    expect(plan.images()).toHaveLength(1);
    expect(plan.images().every(isPinned)).toBe(true);
    expect(plan.images()[0]).toMatch(/^node:20-bookworm@sha256:/);
    expect(plan.cacheMounts()).toEqual([{ path: "/root/.npm", key: "dpra-ci-npm" }]);
    const [ctr] = plan.containers();
    expect(execsOf(ctr!).map((e) => e.args)).toEqual([
      ["npm", "ci", "--no-audit", "--no-fund"],
      ["npm", "test"],
    ]);
    const dirs = plan.callsNamed("withDirectory").map(({ call }) => call.args.path);
    expect(dirs).toEqual(["/work/repo"]);
    expect(plan.callsNamed("withDirectory")[0]!.call.args.exclude).toContain("node_modules/");
  });
});
