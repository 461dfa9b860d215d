// PLAN TESTS of the Beta stage: the real SDK talks to a loopback fake engine that records every
// request (test/support/fake-engine.ts). Nothing is pulled or run: these tests prove what the
// module ASKS the engine to do, in which order, with which inputs.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { dag, type Container } from "@dagger.io/dagger";
import { FakeEngine, type Leaf } from "../../support/fake-engine.js";
import { execsOf, isPinned, Plan, type Chain } from "../../support/plan.js";
import { fixturePath } from "../../support/fixtures.js";
import { Dpra } from "../../../src/index.js";
import { migrationFingerprint } from "../../../src/stages/beta/app.dagger.js";
import type { ReleaseResult } from "../../../src/release/result.dagger.js";

const APP_BASE = `node:22-alpine@sha256:${"b".repeat(64)}`;
const YAML = `
name: fruit-api
database: { tool: dbmate }
tests:
  integration: { command: "npm run test:integration", reports: ["reports/integration.xml"] }
  e2e: { command: "npx playwright test", playwright: true, reports: ["reports/e2e.xml"] }
environments:
  beta:
    env: { LOG_LEVEL: debug }
    port: 3000
`;
const JUNIT_PASS = readFileSync(fixturePath("junit", "vitest-4.1.12-junit-pass.xml"), "utf8");
/** What real vitest 4.1.12 writes for a suite without tests (`--passWithNoTests --reporter=junit`). */
const JUNIT_NO_TESTS = readFileSync(fixturePath("junit", "vitest-4.1.12-junit-no-tests.xml"), "utf8");
const PENDING = "[ ] 20240101000000_create_fruits.sql\n[ ] 20240102000000_add_colour.sql\n\nApplied: 0\nPending: 2\n";
const APPLIED = "[X] 20240101000000_create_fruits.sql\n[X] 20240102000000_add_colour.sql\n\nApplied: 2\nPending: 0\n";

let engine: FakeEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const lastExec = (leaf: Leaf) => [...leaf.calls].reverse().find((c) => c.field === "withExec")?.args.args as string[] | undefined;
const envOf = (leaf: Leaf, name: string) => [...leaf.calls].reverse().find((c) => c.field === "withEnvVariable" && c.args.name === name)?.args.value;
const fileOf = (leaf: Leaf) => [...leaf.calls].reverse().find((c) => c.field === "file")?.args.path;

interface Scenario {
  /** dpra.yaml, when not YAML. */
  yaml?: string;
  /** What each JUnit report reads as (an Error: the file is not there); default: a passing report. */
  reports?: Record<string, string | Error>;
  migrateExit?: number;
  migrateStderr?: string;
  probe?: { stdout: string; exitCode: number };
}

/** Answers as a healthy engine would, with the DB deploy and the probe scripted. */
function answers(s: Scenario = {}) {
  return (leaf: Leaf): unknown => {
    const exec = lastExec(leaf);
    switch (leaf.field) {
      case "entries":
        return ["dpra.yaml", "package.json", "package-lock.json", "db/"];
      case "contents":
        if (fileOf(leaf) === "dpra.yaml") return s.yaml ?? YAML;
        if (String(fileOf(leaf)).startsWith("reports/")) {
          const report = s.reports?.[String(fileOf(leaf))] ?? JUNIT_PASS;
          if (report instanceof Error) throw report;
          return report;
        }
        return undefined;
      case "entrypoint":
        return ["docker-entrypoint.sh"];
      case "defaultArgs":
        return ["node", "dist/server.js"];
      case "user":
        return "node";
      case "start":
        return "fake-started-service";
      case "stdout":
        if (exec?.[0] === "dbmate" && exec.at(-1) === "status") return envOf(leaf, "DPRA_STEP") === "1" || s.migrateExit ? PENDING : APPLIED;
        if (exec?.[0] === "sh" && String(exec[1]) === "-c" && exec[3] === "probe") return s.probe?.stdout ?? "DPRA_READY 200 2s\n";
        return undefined;
      case "stderr":
        if (exec?.at(-1) === "--strict") return s.migrateStderr ?? "";
        return undefined;
      case "exitCode":
        if (exec?.at(-1) === "--strict") return s.migrateExit ?? 0;
        if (exec?.[3] === "probe") return s.probe?.exitCode ?? 0;
        return undefined;
      default:
        return undefined;
    }
  };
}

/** The build's image and test container, as the build stage would hand them on. */
function buildOutputs(): { image: Container; testImage: Container } {
  const image = dag.container().from(APP_BASE).withDirectory("/app", dag.directory().withNewFile("server.js", "built")).withExposedPort(3000);
  const testImage = dag.container().from(APP_BASE).withWorkdir("/src").withExec(["npm", "ci"]);
  return { image, testImage };
}

async function runBeta(s: Scenario = {}, withTestImage = true): Promise<{ result: ReleaseResult; plan: Plan; engine: FakeEngine }> {
  engine = await FakeEngine.start({ answer: answers(s) });
  const result = await engine.run(async () => {
    const { image, testImage } = buildOutputs();
    const source = dag.directory().withNewFile("dpra.yaml", YAML);
    return new Dpra(source).beta(image, withTestImage ? testImage : undefined, false);
  });
  return { result, plan: new Plan(engine), engine };
}

const isAppChain = (c: Chain) => c.calls.some((x) => x.field === "withDirectory" && x.args.path === "/app") && c.calls[1]?.args.address === APP_BASE;
/** The chain that defines the app service: the build's image with runtime settings, then asService. */
function appServiceChain(plan: Plan): Chain {
  const chains = plan.chains().filter((c) => c.calls.some((x) => x.field === "asService") && isAppChain(c));
  expect(chains.length).toBeGreaterThan(0);
  return chains[0]!;
}

describe("Beta stage plan", () => {
  it("runs the app service from the build's exact container: nothing is built, pulled or rebuilt for it", async () => {
    const { result, plan } = await runBeta();
    expect(result.verdict).toBe("passed");
    const app = appServiceChain(plan);
    const fields = app.calls.map((c) => c.field);
    // The chain starts with exactly the calls that built the image in the build stage.
    expect(app.calls.slice(0, 4).map((c) => c.field)).toEqual(["container", "from", "withDirectory", "withExposedPort"]);
    expect(fields.filter((f) => f === "from")).toHaveLength(1);
    expect(fields).not.toContain("dockerBuild");
    expect(fields).not.toContain("build");
    // After the build's calls: only runtime settings, no exec.
    expect(fields.slice(4).filter((f) => f === "withExec")).toEqual([]);
    const service = app.calls.find((c) => c.field === "asService")!;
    expect(service.args.args).toEqual(["sh", "-c", '"$@" 2>&1 | tee -a /dpra/logs/app.log', "app", "docker-entrypoint.sh", "node", "dist/server.js"]);
    expect(plan.callsNamed("dockerBuild")).toEqual([]);
  });

  it("gives the app its Beta env vars, and the DB password only as secrets", async () => {
    const { plan } = await runBeta();
    const app = appServiceChain(plan);
    const env = Object.fromEntries(app.calls.filter((c) => c.field === "withEnvVariable").map((c) => [c.args.name, c.args.value]));
    expect(env).toMatchObject({ LOG_LEVEL: "debug", PORT: "3000", PGHOST: "db", PGUSER: "app", PGDATABASE: "app" });
    const secrets = app.calls.filter((c) => c.field === "withSecretVariable").map((c) => c.args.name);
    expect(secrets.sort()).toEqual(["DATABASE_URL", "PGPASSWORD"]);
  });

  it("starts PostgreSQL (pinned) with a generated password passed as a secret, never in plain text", async () => {
    const { plan } = await runBeta();
    const pg = plan.chains().find((c) => c.calls.some((x) => x.field === "from" && String(x.args.address).startsWith("postgres:")))!;
    expect(isPinned(String(pg.calls.find((c) => c.field === "from")!.args.address))).toBe(true);
    expect(plan.secretVariables()).toContainEqual({ name: "POSTGRES_PASSWORD", secret: expect.stringMatching(/^dpra-beta-db-password-/) });
    expect(plan.secretVariables()).toContainEqual({ name: "DATABASE_URL", secret: expect.stringMatching(/^dpra-beta-database-url-/) });
    const [password] = plan.secretValues().filter((s) => s.name.startsWith("dpra-beta-db-password-"));
    expect(password!.plaintext).toMatch(/^[0-9a-f]{64}$/);
    // The plaintext appears nowhere but setSecret: not in args, env, files, nor in the reports.
    expect(plan.secretLeaks()).toEqual([]);
    expect(plan.envVariables().some((e) => e.name.includes("PASSWORD"))).toBe(false);
    // A new password every run.
    const again = await runBeta();
    const [second] = again.plan.secretValues().filter((s) => s.name.startsWith("dpra-beta-db-password-"));
    expect(second!.plaintext).not.toBe(password!.plaintext);
  });

  it("runs the migrations (pinned dbmate, status / migrate / status) before the app is even defined", async () => {
    const { plan, engine: e, result } = await runBeta();
    const steps = plan
      .execs()
      .filter((x) => x.args[0] === "dbmate")
      .map((x) => x.args.at(-1));
    expect(new Set(steps)).toEqual(new Set(["status", "--strict"]));
    expect(
      plan
        .images()
        .filter((i) => i.startsWith("ghcr.io/amacneil/dbmate:"))
        .every(isPinned),
    ).toBe(true);
    const dbmateChain = plan.containersRunning("--strict")[0]!;
    expect(dbmateChain.calls.find((c) => c.field === "withSecretVariable")!.args.name).toBe("DATABASE_URL");
    expect(dbmateChain.calls.some((c) => c.field === "withServiceBinding" && c.args.alias === "db")).toBe(true);
    // Ordering 1: the app's definition carries the fingerprint of the finished DB deploy.
    const report = {
      tool: "dbmate",
      pendingBefore: ["20240101000000_create_fruits.sql", "20240102000000_add_colour.sql"],
      applied: ["20240101000000_create_fruits.sql", "20240102000000_add_colour.sql"],
      pendingAfter: [],
      ok: true,
      status: "migrated",
      summary: "dbmate: applied 2 migration(s): 20240101000000_create_fruits.sql, 20240102000000_add_colour.sql",
    };
    const app = appServiceChain(plan);
    expect(app.calls.find((c) => c.field === "withEnvVariable" && c.args.name === "DPRA_MIGRATED")!.args.value).toBe(migrationFingerprint(report));
    // Ordering 2: the last migration status was read before the app service was started.
    const leaves = e.leaves();
    const lastStatus = leaves
      .map((l, i) => ({ l, i }))
      .filter(({ l }) => l.field === "stdout" && lastExec(l)?.[0] === "dbmate")
      .pop()!.i;
    const appStart = leaves.findIndex((l) => l.field === "start" && l.calls.some((c) => c.field === "asService") && isAppChain({ calls: l.calls, root: l.root, leaf: l.field }));
    expect(appStart).toBeGreaterThan(lastStatus);
    const db = result.stages.find((s) => s.id === "beta")!.actions.find((a) => a.name === "db-deploy")!;
    expect(db).toMatchObject({ status: "succeeded", reports: ["beta/db-deploy.md"] });
  });

  it("waits for readiness on the health endpoint from a probe bound to the app service", async () => {
    const { plan } = await runBeta();
    const probe = plan.containers().find((c) => execsOf(c).some((x) => x.args[3] === "probe"))!;
    expect(execsOf(probe)[0]!.args.slice(4)).toEqual(["http://app:3000/health/ready", "60", "/dpra/logs/app.log", "50"]);
    const binding = probe.calls.find((c) => c.field === "withServiceBinding")!;
    expect(binding.args.alias).toBe("app");
    expect(plan.origin(binding.args.service)!.some((c) => c.field === "asService")).toBe(true);
    expect(isPinned(String(probe.calls.find((c) => c.field === "from")!.args.address))).toBe(true);
  });

  it("binds the integration and E2E suites to the app service, with BASE_URL and the DB URL as a secret", async () => {
    const { plan, result } = await runBeta();
    for (const [command, image] of [
      ["npm run test:integration", APP_BASE],
      ["npx playwright test", "mcr.microsoft.com/playwright:"],
    ] as const) {
      const suite = plan.containers().find((c) => execsOf(c).some((x) => x.args[2]?.includes(command)))!;
      expect(suite, command).toBeDefined();
      expect(String(suite.calls.find((c) => c.field === "from")!.args.address).startsWith(image)).toBe(true);
      const app = suite.calls.find((c) => c.field === "withServiceBinding" && c.args.alias === "app")!;
      const origin = plan.origin(app.args.service)!;
      expect(origin.some((c) => c.field === "asService")).toBe(true);
      expect(origin.some((c) => c.field === "withEnvVariable" && c.args.name === "DPRA_MIGRATED")).toBe(true);
      expect(suite.calls.find((c) => c.field === "withEnvVariable" && c.args.name === "BASE_URL")!.args.value).toBe("http://app:3000");
      expect(suite.calls.some((c) => c.field === "withSecretVariable" && c.args.name === "DATABASE_URL")).toBe(true);
    }
    const beta = result.stages.find((s) => s.id === "beta")!;
    expect(beta.actions.map((a) => [a.name, a.status])).toEqual([
      ["launch-env", "succeeded"],
      ["db-deploy", "succeeded"],
      ["deploy-software", "succeeded"],
      ["integration-tests", "succeeded"],
      ["e2e-tests", "succeeded"],
    ]);
    expect(beta.actions.find((a) => a.name === "e2e-tests")!.reports).toEqual(["beta/e2e/e2e.xml", "beta/e2e/test-results"]);
    expect(result.stages.find((s) => s.id === "build")!.actions.every((a) => a.status === "skipped")).toBe(true);
  });

  it("stops after a failing migration: the app never starts and no test runs", async () => {
    const { result, plan } = await runBeta({ migrateExit: 2, migrateStderr: 'Error: pq: relation "vegetables" does not exist (42P01)' });
    expect(result.verdict).toBe("failed");
    expect(result.failure).toBe('beta.db-deploy failed: dbmate: migration failed at 20240101000000_create_fruits.sql: Error: pq: relation "vegetables" does not exist (42P01)');
    expect(plan.chains().some((c) => c.calls.some((x) => x.field === "asService") && isAppChain(c))).toBe(false);
    expect(plan.containers().some((c) => execsOf(c).some((x) => x.args[3] === "probe" || x.args[2]?.includes("test")))).toBe(false);
    const beta = result.stages.find((s) => s.id === "beta")!;
    expect(beta.actions.map((a) => a.status)).toEqual(["succeeded", "failed", "cancelled", "cancelled", "cancelled"]);
    expect(result.markdown).toMatch(/\*\*Stopped by:\*\* beta\.db-deploy failed/);
  });

  it("fails deploy-software with the app's last log lines when it never becomes healthy", async () => {
    const probe = { stdout: "DPRA_NOT_READY 000 60s\nDPRA_APP_LOG_BEGIN\nlistening on 3000\nError: connect ECONNREFUSED db:5432\nDPRA_APP_LOG_END\n", exitCode: 1 };
    const { result } = await runBeta({ probe });
    expect(result.verdict).toBe("failed");
    expect(result.failure).toBe(
      "beta.deploy-software failed: the app did not become healthy on http://app:3000/health/ready within 60s (no HTTP answer). Last 2 log line(s) of the app:\nlistening on 3000\nError: connect ECONNREFUSED db:5432",
    );
  });

  it("a failing integration suite does not cancel the independent E2E suite, and names itself", async () => {
    const { result } = await runBeta({}, false);
    expect(result.failure).toBe(
      "beta.integration-tests failed: no test image to run the integration tests in: the build hands on its test container (with `beta`, pass --test-image)",
    );
    const beta = result.stages.find((s) => s.id === "beta")!;
    expect(beta.actions.map((a) => [a.name, a.status])).toEqual([
      ["launch-env", "succeeded"],
      ["db-deploy", "succeeded"],
      ["deploy-software", "succeeded"],
      ["integration-tests", "failed"],
      ["e2e-tests", "succeeded"],
    ]);
  });

  it("blocks a configured suite that ran no test case or wrote no report, naming the suite's dpra.yaml fields", async () => {
    const { result } = await runBeta({ reports: { "reports/integration.xml": JUNIT_NO_TESTS, "reports/e2e.xml": new Error("no such file or directory: reports/e2e.xml") } });
    expect(result.verdict).toBe("failed");
    const beta = result.stages.find((s) => s.id === "beta")!;
    const integration = beta.actions.find((a) => a.name === "integration-tests")!;
    const e2e = beta.actions.find((a) => a.name === "e2e-tests")!;
    expect(integration.status).toBe("failed");
    expect(integration.summary).toMatch(/^integration tests: the integration suite's JUnit report reports\/integration\.xml holds no test cases: no test ran/);
    expect(integration.summary).toContain("tests.integration.command");
    expect(integration.summary).toContain('tests.optOut.integration: "<reason>"');
    expect(e2e.status).toBe("failed");
    expect(e2e.summary).toMatch(/^e2e tests: the e2e suite wrote no JUnit report at reports\/e2e\.xml \(tests\.e2e\.command exited 0\)/);
    expect(e2e.summary).toContain("tests.e2e.reports");
    expect(result.failure).toMatch(/^beta\.integration-tests failed: integration tests: the integration suite's JUnit report/);
    expect(result.markdown).toContain("| integration-tests | FAILED |");
  });

  it("prints an opt-out's reason in the release report (Markdown and the per-action JSON) and runs no suite", async () => {
    const reason = "a stateless proxy: the integration suite covers its one route";
    const yaml = YAML.replace(/ {2}e2e: \{[^\n]*\n/, `  optOut:\n    e2e: "${reason}"\n`);
    const { result, plan } = await runBeta({ yaml });
    expect(result.verdict).toBe("passed");
    const e2e = result.stages.find((s) => s.id === "beta")!.actions.find((a) => a.name === "e2e-tests")!;
    expect(e2e).toMatchObject({ status: "skipped", summary: `not configured: opted out in dpra.yaml (tests.optOut.e2e): ${reason}` });
    expect(result.markdown).toContain(`| e2e-tests | skipped |  | not configured: opted out in dpra.yaml (tests.optOut.e2e): ${reason} |`);
    expect(plan.containers().some((c) => execsOf(c).some((x) => x.args[2]?.includes("playwright")))).toBe(false);
  });
});
