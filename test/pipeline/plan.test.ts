import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/load.js";
import { buildRunPlan, missingRequired, planActions, runnableActions, type RunPlan } from "../../src/pipeline/plan.js";
import { ACTIONS } from "../../src/pipeline/model.js";

const FULL = `
name: fruit-api
tests:
  integration: { command: "npm run test:integration" }
  e2e: { command: "npx playwright test", playwright: true }
database: { tool: dbmate }
environments:
  gamma: { account: "111111111111", roleArn: "arn:aws:iam::111111111111:role/deploy", region: eu-west-1, stackName: fruit-gamma }
  prod: { account: "222222222222", roleArn: "arn:aws:iam::222222222222:role/deploy", waves: [{ regions: [eu-west-1] }], stackName: fruit-prod }
synthetics: { name: fruit-canary, script: canary/index.js }
capacity: { script: load/k6.js }
chaos: { experimentTemplateId: EXT123 }
`;

const config = (yaml: string) => resolveConfig(yaml, ["package.json", "package-lock.json"]);
const byId = (plan: RunPlan, id: string) => planActions(plan).find((a) => a.id === id)!;

describe("run plan", () => {
  it("covers every DPRA action, in document order", () => {
    const plan = buildRunPlan(config(FULL), "prod");
    expect(planActions(plan).map((a) => a.id)).toEqual(ACTIONS.map((a) => a.id));
  });

  it("release --env beta runs build then beta, and leaves gamma and prod out", () => {
    const plan = buildRunPlan(config(FULL), "beta");
    expect(runnableActions(plan).map((a) => a.id)).toEqual([
      "build.build-code",
      "build.unit-tests",
      "build.code-quality",
      "build.secrets-detection",
      "build.sast",
      "build.package-artifacts",
      "build.sca",
      "beta.launch-env",
      "beta.db-deploy",
      "beta.deploy-software",
      "beta.integration-tests",
      "beta.e2e-tests",
    ]);
    expect(byId(plan, "gamma.launch-env").state).toBe("beyond-target");
    expect(byId(plan, "gamma.launch-env").detail).toMatch(/release --env gamma/);
    expect(byId(plan, "prod.approval").detail).toMatch(/release --env prod/);
    expect(byId(plan, "source.application-source").state).toBe("provided");
    expect(byId(plan, "pre-commit.secrets-detection").state).toBe("local");
  });

  it("runs the five build-service actions concurrently; package after build; SCA after package", () => {
    const plan = buildRunPlan(config(FULL), "beta");
    for (const id of ["build.build-code", "build.unit-tests", "build.code-quality", "build.secrets-detection", "build.sast"]) {
      expect(byId(plan, id).dependsOn, id).toEqual([]);
      expect(byId(plan, id).group).toBe("build-service");
    }
    expect(byId(plan, "build.package-artifacts").dependsOn).toEqual(["build.build-code"]);
    expect(byId(plan, "build.sca").dependsOn).toEqual(["build.package-artifacts"]);
  });

  it("in Beta, deploys the database before the software and the software before both test suites", () => {
    const plan = buildRunPlan(config(FULL), "beta");
    expect(byId(plan, "beta.db-deploy").dependsOn).toEqual(["beta.launch-env"]);
    expect(byId(plan, "beta.deploy-software").dependsOn).toEqual(["beta.launch-env", "beta.db-deploy"]);
    expect(byId(plan, "beta.integration-tests").dependsOn).toEqual(["beta.deploy-software"]);
    expect(byId(plan, "beta.e2e-tests").dependsOn).toEqual(["beta.deploy-software"]);
  });

  it("shows unconfigured actions as such and routes dependencies around them", () => {
    const plan = buildRunPlan(config("name: bare\n"), "beta");
    const db = byId(plan, "beta.db-deploy");
    expect(db.state).toBe("not-configured");
    expect(db.detail).toMatch(/add a `database` section/);
    expect(byId(plan, "source.database-source").state).toBe("not-configured");
    expect(byId(plan, "beta.integration-tests").state).toBe("not-configured");
    expect(byId(plan, "beta.e2e-tests").state).toBe("not-configured");
    // Without a DB deploy, the software waits for the environment only.
    expect(byId(plan, "beta.deploy-software").dependsOn).toEqual(["beta.launch-env"]);
  });

  it("Beta's suites: configured ones run and say they block when empty; an opt-out's reason is the detail, and excludes the suite", () => {
    const configured = buildRunPlan(config(FULL), "beta");
    for (const id of ["beta.integration-tests", "beta.e2e-tests"]) {
      expect(byId(configured, id).state).toBe("run");
      expect(byId(configured, id).detail).toMatch(/JUnit report \(blocks when it ran no test case or wrote no report\)$/);
    }
    const optedOut = buildRunPlan(
      config(
        'name: api\ntests:\n  optOut:\n    integration: "a stateless proxy: the E2E suite covers its one route"\n    e2e: "no UI and a single route, covered by the integration suite"\n',
      ),
      "beta",
    );
    expect(byId(optedOut, "beta.integration-tests")).toMatchObject({
      state: "not-configured",
      detail: "opted out in dpra.yaml (tests.optOut.integration): a stateless proxy: the E2E suite covers its one route",
    });
    expect(byId(optedOut, "beta.e2e-tests")).toMatchObject({
      state: "not-configured",
      detail: "opted out in dpra.yaml (tests.optOut.e2e): no UI and a single route, covered by the integration suite",
    });
    // Recommended by the DPRA: neither a configured suite nor an opt-out is required.
    expect(missingRequired(buildRunPlan(config("name: bare\n"), "beta"))).toEqual([]);
    expect(() => config('tests:\n  e2e: { command: "npx playwright test" }\n  optOut:\n    e2e: "no browser tests in this service"\n')).toThrow(
      /tests\.e2e and tests\.optOut\.e2e are both set/,
    );
    expect(() => config('tests:\n  optOut:\n    integration: "none"\n')).toThrow(/tests\.optOut\.integration.*at least 10 characters/s);
  });

  it("detects a database from a db/ folder, as the config loader does", () => {
    const plan = buildRunPlan(resolveConfig(undefined, ["package.json", "db/"]), "beta");
    expect(byId(plan, "beta.db-deploy").state).toBe("run");
    expect(byId(plan, "beta.db-deploy").detail).toMatch(/dbmate \(db\/migrations\)/);
  });

  it("reports required actions a gamma or prod release would miss, and none for beta", () => {
    const bare = config("name: bare\n");
    expect(missingRequired(buildRunPlan(bare, "beta"))).toEqual([]);
    const gamma = missingRequired(buildRunPlan(bare, "gamma"));
    expect(gamma.some((m) => m.startsWith("gamma.launch-env") && m.includes("environments.gamma"))).toBe(true);
    expect(gamma.some((m) => m.startsWith("gamma.capacity-tests"))).toBe(false); // recommended only
    expect(missingRequired(buildRunPlan(config(FULL), "prod"))).toEqual([]);
  });

  it("orders Gamma and Prod: DB before software, chaos after capacity, prod after approval", () => {
    const plan = buildRunPlan(config(FULL), "prod");
    expect(byId(plan, "gamma.deploy-software").dependsOn).toEqual(["gamma.launch-env", "gamma.db-deploy"]);
    expect(byId(plan, "gamma.chaos-tests").dependsOn).toEqual(["gamma.capacity-tests"]);
    expect(byId(plan, "prod.db-deploy").dependsOn).toEqual(["prod.approval"]);
    expect(byId(plan, "prod.progressive-deployment").dependsOn).toEqual(["prod.approval", "prod.db-deploy"]);
    expect(byId(plan, "prod.synthetic-tests").dependsOn).toEqual(["prod.progressive-deployment"]);
    expect(byId(plan, "prod.approval").markNote).toMatch(/prose marks it required, its diagram recommended/);
  });
});

describe("actions beyond the target", () => {
  it("say how to run them, and whether they are configured yet", () => {
    const plan = buildRunPlan(config("name: bare\n"), "beta");
    expect(byId(plan, "gamma.launch-env").detail).toBe("after beta: run release --env gamma; not configured yet: set environments.gamma in dpra.yaml");
    expect(buildRunPlan(config(FULL), "beta").stages.find((s) => s.id === "gamma")!.actions[0]!.detail).toBe("after beta: run release --env gamma");
  });
});
