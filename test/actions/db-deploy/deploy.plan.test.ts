// PLAN TESTS of the DB deploy containers (fake engine: requests recorded, nothing run).
import { afterEach, describe, expect, it } from "vitest";
import { dag } from "@dagger.io/dagger";
import { FakeEngine, type Leaf } from "../../support/fake-engine.js";
import { execsOf, isPinned, Plan } from "../../support/plan.js";
import { runDbDeploy } from "../../../src/actions/db-deploy/container.dagger.js";
import { suiteScript } from "../../../src/actions/tests/suite.dagger.js";
import { PLAYWRIGHT_IMAGE } from "../../../src/actions/tests/suite.dagger.js";
import type { DatabaseConfig } from "../../../src/config/sections/database.js";

let engine: FakeEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const PASSWORD = "generated-password-0123456789";
const endpoint = { host: "db", port: 5432, database: "app", user: "app", sslmode: "disable" as const };

function flywayInfo(state: string) {
  return JSON.stringify({ migrations: [{ version: "1", description: "init", state, filepath: "/flyway/sql/V1__init.sql" }] });
}

async function deploy(database: Omit<DatabaseConfig, "aws">, answer?: (leaf: Leaf) => unknown) {
  engine = await FakeEngine.start({ answer });
  const report = await engine.run(() =>
    runDbDeploy({
      database,
      source: dag.directory(),
      target: {
        endpoint,
        password: dag.setSecret("pw", PASSWORD),
        url: dag.setSecret("url", `postgres://app:${PASSWORD}@db:5432/app`),
        service: dag
          .container()
          .from(`postgres:17@sha256:${"e".repeat(64)}`)
          .asService(),
      },
      appImage: dag.container().from(`node:22@sha256:${"f".repeat(64)}`),
      runId: "run1",
    }),
  );
  return { report, plan: new Plan(engine) };
}

describe("DB deploy containers", () => {
  it("flyway: pinned image, migrations mounted, JDBC URL plain, password only as a secret, info / migrate / info", async () => {
    let infos = 0;
    const { report, plan } = await deploy({ tool: "flyway", migrations: "db/migrations", name: "app" }, (leaf) => {
      const exec = [...leaf.calls].reverse().find((c) => c.field === "withExec")?.args.args as string[] | undefined;
      if (leaf.field === "stdout" && exec?.at(-1) === "info") return flywayInfo(infos++ === 0 ? "Pending" : "Success");
      return undefined;
    });
    expect(report).toMatchObject({ ok: true, applied: ["V1__init.sql"] });
    const [image] = plan.images().filter((i) => i.startsWith("flyway/"));
    expect(isPinned(image!)).toBe(true);
    const chain = plan.containersRunning("migrate")[0]!;
    expect(execsOf(chain).map((e) => e.args.at(-1))).toEqual(["info", "migrate", "info"]);
    expect(chain.calls.find((c) => c.field === "withDirectory")!.args.path).toBe("/flyway/sql");
    expect(plan.envVariables()).toContainEqual({ name: "FLYWAY_URL", value: "jdbc:postgresql://db:5432/app?sslmode=disable" });
    expect(plan.secretVariables()).toContainEqual({ name: "FLYWAY_PASSWORD", secret: "pw" });
    expect(plan.secretLeaks()).toEqual([]);
    expect(chain.calls.some((c) => c.field === "withServiceBinding" && c.args.alias === "db")).toBe(true);
  });

  it("liquibase: pinned image, changelog from dpra.yaml, status --verbose / update, password as a secret", async () => {
    const { plan } = await deploy({ tool: "liquibase", migrations: "db/changelog", changelog: "main.yaml", name: "app" }, (leaf) => {
      if (leaf.field === "stdout") return "app@jdbc:postgresql://db:5432/app is up to date\n";
      return undefined;
    });
    const chain = plan.containersRunning("update")[0]!;
    expect(execsOf(chain)[0]!.args).toEqual(["liquibase", "--search-path=/liquibase/changelog", "--changelog-file=main.yaml", "status", "--verbose"]);
    expect(isPinned(plan.images().find((i) => i.startsWith("liquibase/"))!)).toBe(true);
    expect(plan.secretVariables()).toContainEqual({ name: "LIQUIBASE_COMMAND_PASSWORD", secret: "pw" });
    expect(plan.secretLeaks()).toEqual([]);
  });

  it("custom: the command runs in the app image with the DB URL as a secret; failure keeps its message", async () => {
    const { report, plan } = await deploy({ tool: "custom", command: "npm run migrate", migrations: "db/migrations", name: "app" }, (leaf) => {
      if (leaf.field === "exitCode") return 1;
      if (leaf.field === "stderr") return 'Error: migration 003 failed: syntax error at or near "tabel"';
      return undefined;
    });
    expect(report).toMatchObject({ ok: false, failure: { kind: "migration-failed" } });
    expect(report.summary).toBe('custom migration command failed: Error: migration 003 failed: syntax error at or near "tabel"');
    const chain = plan.containersRunning("npm run migrate")[0]!;
    expect(chain.calls[1]!.args.address).toBe(`node:22@sha256:${"f".repeat(64)}`);
    expect([...new Set(plan.secretVariables().map((s) => s.name))].sort()).toEqual(["DATABASE_URL", "PGPASSWORD"]);
    expect(plan.secretLeaks()).toEqual([]);
  });
});

describe("suite command line", () => {
  it("keeps the command's exit code and always leaves the artifacts folder", () => {
    expect(suiteScript("npm run it")).toBe("npm run it");
    expect(suiteScript("npx playwright test", "test-results")).toBe("npx playwright test\ncode=$?\nmkdir -p 'test-results'\nexit $code");
    expect(isPinned(PLAYWRIGHT_IMAGE)).toBe(true);
    expect(PLAYWRIGHT_IMAGE).toMatch(/^mcr\.microsoft\.com\/playwright:v1\.\d+\.\d+-noble@/);
  });
});
