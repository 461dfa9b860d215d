// Level 1 (real tools and service). DB deploy with the REAL dbmate, Flyway and Liquibase against a
// REAL PostgreSQL (test/support/postgres.ts), driven through the same command builders, environment
// and parsers that the Dagger recipe uses (src/actions/db-deploy/tools.ts): the argv is the
// recipe's, with the migrations folder as a host path and the tool's name as the host binary. Only
// the runner differs: a local process here, a container exec in the pipeline.
import { spawn } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { deployMigrations, type CommandRunner } from "../../../src/actions/db-deploy/deploy.js";
import { migrationDriver, postgresUrl, type DbEndpoint, type MigrationDriver, type MigrationToolName } from "../../../src/actions/db-deploy/tools.js";
import { repoRoot } from "../../support/fixtures.js";
import { resolvePostgres, startPostgres, type PostgresServer } from "../../support/postgres.js";
import { describeReal, type RealTool } from "../../support/real.js";

const EXAMPLE_DB = path.join(repoRoot, "examples", "fruit-api", "db");
/** The example's migrations for each tool: the default (dbmate) and its Flyway and Liquibase variants. */
const EXAMPLE_MIGRATIONS: Record<MigrationToolName, string> = {
  dbmate: path.join(EXAMPLE_DB, "migrations"),
  flyway: path.join(EXAMPLE_DB, "flyway"),
  liquibase: path.join(EXAMPLE_DB, "liquibase"),
};

let server: PostgresServer;
let dbCount = 0;
const scratch: string[] = [];

interface Fixture {
  driver: MigrationDriver;
  /** A copy of the example's migrations for this tool, free to change. */
  migrations: string;
  commands: string[][];
  run: CommandRunner;
  deploy: () => ReturnType<typeof deployMigrations>;
  query: <T = Record<string, unknown>>(sql: string) => Promise<T[]>;
}

/** A fresh database and a copy of the example's migrations for `tool`, run with the real binary. */
async function fixture(tool: RealTool, name: MigrationToolName, password?: string): Promise<Fixture> {
  const database = `${name}_${++dbCount}`;
  await server.createDatabase(database);
  const endpoint: DbEndpoint = { host: "127.0.0.1", port: server.port, database, user: server.user, sslmode: "disable" };
  const migrations = mkdtempSync(path.join(os.tmpdir(), `dpra-${name}-`));
  scratch.push(migrations);
  cpSync(EXAMPLE_MIGRATIONS[name], migrations, { recursive: true });
  const driver = migrationDriver(name);
  // The driver's environment, with each secret resolved the way the Beta stage creates it.
  const toolEnv = driver.environment(endpoint);
  const secret = password ?? server.password;
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: os.homedir(), ...toolEnv.plain };
  for (const [variable, kind] of Object.entries(toolEnv.secrets)) env[variable] = kind === "url" ? postgresUrl(endpoint, secret) : secret;
  const commands: string[][] = [];
  const run: CommandRunner = (argv) =>
    new Promise((resolve, reject) => {
      commands.push(argv);
      expect(argv[0]).toBe(driver.binary);
      const child = spawn(tool.bin, argv.slice(1), { env, cwd: migrations });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
    });
  return {
    driver,
    migrations,
    commands,
    run,
    deploy: () => deployMigrations(run, driver, migrations),
    query: (sql) => server.query(database, sql),
  };
}

/** The example's schema after both migrations: the columns of `fruits` and its reference rows. */
async function expectExampleSchema(f: Fixture): Promise<void> {
  const columns = await f.query<{ column_name: string }>("select column_name from information_schema.columns where table_name = 'fruits' order by ordinal_position");
  expect(columns.map((c) => c.column_name)).toEqual(["id", "name", "color", "created_at", "updated_at", "origin"]);
  expect(await f.query("select name, origin from fruits where name in ('Apple', 'Kiwi') order by name")).toEqual([
    { name: "Apple", origin: null },
    { name: "Kiwi", origin: "New Zealand" },
  ]);
}

function changeFile(file: string, extra: string): void {
  appendFileSync(file, `\n${extra}\n`);
}

describeReal(
  "postgresql",
  () => {
    beforeAll(async () => {
      server = await startPostgres();
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
      for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
    });

    describeReal("dbmate", (tool) => {
      const pending = ["20250101000000_create_fruits.sql", "20250201000000_add_fruit_origin.sql"];

      it("lists the example's pending migrations, applies them, and a re-run is a no-op", async () => {
        const f = await fixture(tool, "dbmate");
        const report = await f.deploy();
        expect(report).toMatchObject({ ok: true, tool: "dbmate", pendingBefore: pending, applied: pending, pendingAfter: [] });
        expect(report.summary).toBe(`dbmate: applied 2 migration(s): ${pending.join(", ")}`);
        await expectExampleSchema(f);
        // status, migrate --strict, status: in that order.
        expect(f.commands.map((c) => c[c.length - 1])).toEqual(["status", "--strict", "status"]);
        const rerun = await f.deploy();
        expect(rerun).toMatchObject({ ok: true, pendingBefore: [], applied: [], pendingAfter: [], summary: "dbmate: up to date, nothing to apply" });
        expect(await f.query("select count(*)::int as n from schema_migrations")).toEqual([{ n: 2 }]);
      });

      it("records no checksums: a changed, already-applied migration goes unnoticed (dbmate has no checksum check)", async () => {
        const f = await fixture(tool, "dbmate");
        expect((await f.deploy()).ok).toBe(true);
        changeFile(path.join(f.migrations, pending[1]!), "-- changed after it was applied");
        const report = await f.deploy();
        expect(report).toMatchObject({ ok: true, pendingBefore: [], applied: [] });
      });

      it("fails a broken migration with dbmate's own message; the applied ones stay and the broken one is rolled back", async () => {
        const f = await fixture(tool, "dbmate");
        writeFileSync(
          path.join(f.migrations, "20250301000000_broken.sql"),
          "-- migrate:up\nalter table fruits add column taste text;\nalter table vegetables add column x int;\n-- migrate:down\n",
        );
        const report = await f.deploy();
        expect(report.ok).toBe(false);
        expect(report.failure?.kind).toBe("migration-failed");
        expect(report.failure?.message).toMatch(/relation "vegetables" does not exist/);
        expect(report.applied).toEqual(pending);
        expect(report.pendingAfter).toEqual(["20250301000000_broken.sql"]);
        expect(report.summary).toMatch(/^dbmate: migration failed at 20250301000000_broken\.sql: .*relation "vegetables" does not exist/);
        // dbmate runs each migration in a transaction: no `taste` column, no record.
        expect(await f.query("select count(*)::int as n from information_schema.columns where table_name = 'fruits' and column_name = 'taste'")).toEqual([{ n: 0 }]);
        expect(await f.query("select version from schema_migrations order by version")).toEqual([{ version: "20250101000000" }, { version: "20250201000000" }]);
      });

      it("refuses a migration older than the newest applied one (history mismatch), with dbmate's message", async () => {
        const f = await fixture(tool, "dbmate");
        expect((await f.deploy()).ok).toBe(true);
        writeFileSync(path.join(f.migrations, "20250115000000_late.sql"), "-- migrate:up\ncreate table late (id int);\n-- migrate:down\n");
        const report = await f.deploy();
        expect(report.ok).toBe(false);
        expect(report.failure?.kind).toBe("history-mismatch");
        expect(report.failure?.message).toMatch(/migration `20250115000000` is out of order/);
        expect(report.pendingBefore).toEqual(["20250115000000_late.sql"]);
        expect(await f.query("select to_regclass('public.late') as t")).toEqual([{ t: null }]);
      });

      it("reports a status failure (wrong credentials) with the tool's message and applies nothing", async () => {
        const f = await fixture(tool, "dbmate", "not-the-password");
        const report = await f.deploy();
        expect(report.ok).toBe(false);
        expect(report.failure?.kind).toBe("status-failed");
        expect(report.failure?.message).toMatch(/password authentication failed/);
        expect(f.commands).toHaveLength(1);
      });
    });

    describeReal("flyway", (tool) => {
      const pending = ["V1__create_fruits.sql", "V2__add_fruit_origin.sql"];

      it("lists the pending migrations from `flyway info` (JSON), applies them, and a re-run is a no-op", async () => {
        const f = await fixture(tool, "flyway");
        const report = await f.deploy();
        expect(report).toMatchObject({ ok: true, tool: "flyway", pendingBefore: pending, applied: pending, pendingAfter: [] });
        await expectExampleSchema(f);
        expect(f.commands.map((c) => c[c.length - 1])).toEqual(["info", "migrate", "info"]);
        const status = f.driver.parseStatus(await f.run(f.driver.statusArgs(f.migrations)));
        expect(status).toEqual({ pending: [], applied: pending, problems: [] });
        const rerun = await f.deploy();
        expect(rerun).toMatchObject({ ok: true, pendingBefore: [], applied: [], summary: "flyway: up to date, nothing to apply" });
        expect(await f.query("select count(*)::int as n from flyway_schema_history where success")).toEqual([{ n: 2 }]);
      }, 60_000);

      it("reports a changed, already-applied migration as a checksum mismatch (validate on migrate) and applies nothing", async () => {
        const f = await fixture(tool, "flyway");
        expect((await f.deploy()).ok).toBe(true);
        changeFile(path.join(f.migrations, pending[1]!), "-- changed after it was applied");
        writeFileSync(path.join(f.migrations, "V3__add_taste.sql"), "alter table fruits add column taste text;\n");
        const report = await f.deploy();
        expect(report.ok).toBe(false);
        expect(report.failure?.kind).toBe("checksum-mismatch");
        expect(report.failure?.message).toMatch(/checksum mismatch for migration version 2/i);
        expect(report.summary).toMatch(/^flyway: checksum mismatch: /);
        expect(report.pendingAfter).toEqual(["V3__add_taste.sql"]);
        expect(await f.query("select count(*)::int as n from information_schema.columns where table_name = 'fruits' and column_name = 'taste'")).toEqual([{ n: 0 }]);
      }, 60_000);

      it("fails a broken migration with Flyway's own error; PostgreSQL's transactional DDL rolls it back unrecorded", async () => {
        const f = await fixture(tool, "flyway");
        writeFileSync(path.join(f.migrations, "V3__broken.sql"), "alter table fruits add column taste text;\nalter table vegetables add column x int;\n");
        const report = await f.deploy();
        expect(report.ok).toBe(false);
        expect(report.failure?.kind).toBe("migration-failed");
        expect(report.failure?.message).toMatch(/relation "vegetables" does not exist/);
        expect(report.applied).toEqual(pending);
        expect(report.pendingAfter).toEqual(["V3__broken.sql"]);
        expect(report.summary).toMatch(/^flyway: migration failed at V3__broken\.sql: /);
        expect(await f.query("select count(*)::int as n from information_schema.columns where table_name = 'fruits' and column_name = 'taste'")).toEqual([{ n: 0 }]);
        expect(await f.query("select version from flyway_schema_history where version is not null order by installed_rank")).toEqual([{ version: "1" }, { version: "2" }]);
      }, 60_000);
    });

    describeReal("liquibase", (tool) => {
      const pending = ["changelog.xml::20250101000000-create-fruits::fruit-api", "changelog.xml::20250201000000-add-fruit-origin::fruit-api"];

      it("lists the pending changesets from `liquibase status --verbose`, applies them, and a re-run is a no-op", async () => {
        const f = await fixture(tool, "liquibase");
        const report = await f.deploy();
        expect(report).toMatchObject({ ok: true, tool: "liquibase", pendingBefore: pending, applied: pending, pendingAfter: [] });
        await expectExampleSchema(f);
        expect(f.commands.map((c) => c.find((a) => !a.startsWith("-") && a !== "liquibase"))).toEqual(["status", "update", "status"]);
        const rerun = await f.deploy();
        expect(rerun).toMatchObject({ ok: true, pendingBefore: [], applied: [], summary: "liquibase: up to date, nothing to apply" });
        expect(await f.query("select count(*)::int as n from databasechangelog")).toEqual([{ n: 2 }]);
      }, 90_000);

      it("reports a changed, already-applied changeset as a checksum mismatch (status and update validate checksums) and applies nothing", async () => {
        const f = await fixture(tool, "liquibase");
        expect((await f.deploy()).ok).toBe(true);
        changeFile(path.join(f.migrations, "add_fruit_origin.sql"), "UPDATE fruits SET origin = 'China' WHERE name = 'Kiwi';");
        const report = await f.deploy();
        expect(report.ok).toBe(false);
        expect(report.failure?.kind).toBe("checksum-mismatch");
        expect(report.failure?.message).toMatch(/check ?sum/i);
        expect(report.summary).toMatch(/^liquibase: checksum mismatch: /);
        expect(await f.query("select origin from fruits where name = 'Kiwi'")).toEqual([{ origin: "New Zealand" }]);
      }, 90_000);

      it("fails a broken changeset with Liquibase's own error; the changeset is rolled back and stays pending", async () => {
        const f = await fixture(tool, "liquibase");
        const changelog = path.join(f.migrations, "changelog.xml");
        const broken = `  <changeSet id="20250301000000-broken" author="fruit-api">\n    <sql>alter table fruits add column taste text; alter table vegetables add column x int;</sql>\n  </changeSet>\n</databaseChangeLog>`;
        writeFileSync(changelog, readFileSync(changelog, "utf8").replace("</databaseChangeLog>", broken));
        const report = await f.deploy();
        expect(report.ok).toBe(false);
        expect(report.failure?.kind).toBe("migration-failed");
        expect(report.failure?.message).toMatch(/relation "vegetables" does not exist/);
        expect(report.applied).toEqual(pending);
        expect(report.pendingAfter).toEqual(["changelog.xml::20250301000000-broken::fruit-api"]);
        expect(await f.query("select count(*)::int as n from information_schema.columns where table_name = 'fruits' and column_name = 'taste'")).toEqual([{ n: 0 }]);
        expect(await f.query("select id from databasechangelog order by orderexecuted")).toEqual([
          { id: "20250101000000-create-fruits" },
          { id: "20250201000000-add-fruit-origin" },
        ]);
      }, 90_000);
    });
  },
  resolvePostgres,
);
