// Level 1 (real tool and service). DB deploy against a REAL PostgreSQL (test/support/postgres.ts, started by this test) with the REAL dbmate
// binary from npm, driven through the same command builders, environment and parsers that the
// Dagger recipe uses. Only the runner differs: a local process here, a container in the pipeline.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployMigrations, type CommandRunner } from "../../src/actions/db-deploy/deploy.js";
import { migrationDriver, postgresUrl, type DbEndpoint } from "../../src/actions/db-deploy/tools.js";
import { repoRoot } from "../support/fixtures.js";
import { startPostgres, type PostgresServer } from "../support/postgres.js";

const DBMATE = path.join(repoRoot, "node_modules", ".bin", "dbmate");
let server: PostgresServer;
let dbCount = 0;

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);

afterAll(async () => server?.stop());

/** A fresh database and migrations folder per test. */
async function fixture(password?: string) {
  const port = server.port;
  const database = `app${++dbCount}`;
  await server.createDatabase(database);
  const endpoint: DbEndpoint = { host: "127.0.0.1", port, database, user: server.user, sslmode: "disable" };
  const migrations = mkdtempSync(path.join(os.tmpdir(), "dpra-migrations-"));
  const driver = migrationDriver("dbmate");
  // The driver's environment, with each secret resolved the way the Beta stage creates it.
  const toolEnv = driver.environment(endpoint);
  const env: Record<string, string> = { ...toolEnv.plain };
  for (const [name, kind] of Object.entries(toolEnv.secrets)) env[name] = kind === "url" ? postgresUrl(endpoint, password ?? server.password) : (password ?? server.password);
  const commands: string[][] = [];
  const run: CommandRunner = (argv) =>
    new Promise((resolve, reject) => {
      commands.push(argv);
      expect(argv[0]).toBe(driver.binary);
      const child = spawn(DBMATE, argv.slice(1), { env: { PATH: process.env.PATH ?? "", ...env }, cwd: migrations });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
    });
  const write = (file: string, up: string) => writeFileSync(path.join(migrations, file), `-- migrate:up\n${up}\n-- migrate:down\n`);
  const deploy = () => deployMigrations(run, driver, migrations);
  const query = <T = Record<string, unknown>>(sql: string) => server.query<T>(database, sql);
  return { write, deploy, query, commands, endpoint, migrations, driver, run };
}

describe("DB deploy with dbmate against a real PostgreSQL", () => {
  it("reports what is pending, applies it, and reports what was applied", async () => {
    const f = await fixture();
    f.write("20240101000000_create_fruits.sql", "create table fruits (id serial primary key, name text not null);");
    f.write("20240102000000_add_colour.sql", "alter table fruits add column colour text;");
    const report = await f.deploy();
    expect(report).toMatchObject({
      ok: true,
      tool: "dbmate",
      pendingBefore: ["20240101000000_create_fruits.sql", "20240102000000_add_colour.sql"],
      applied: ["20240101000000_create_fruits.sql", "20240102000000_add_colour.sql"],
      pendingAfter: [],
    });
    expect(report.summary).toBe("dbmate: applied 2 migration(s): 20240101000000_create_fruits.sql, 20240102000000_add_colour.sql");
    const columns = await f.query<{ column_name: string }>("select column_name from information_schema.columns where table_name = 'fruits' order by ordinal_position");
    expect(columns.map((c: { column_name: string }) => c.column_name)).toEqual(["id", "name", "colour"]);
    // status, migrate --strict, status: in that order.
    expect(f.commands.map((c) => c[c.length - 1])).toEqual(["status", "--strict", "status"]);
  });

  it("treats a rerun as a no-op, then applies only a new migration", async () => {
    const f = await fixture();
    f.write("20240101000000_create_fruits.sql", "create table fruits (id serial primary key, name text not null);");
    expect((await f.deploy()).ok).toBe(true);
    const rerun = await f.deploy();
    expect(rerun).toMatchObject({ ok: true, pendingBefore: [], applied: [], pendingAfter: [], summary: "dbmate: up to date, nothing to apply" });
    expect(await f.query("select count(*)::int as n from schema_migrations")).toEqual([{ n: 1 }]);
    f.write("20240103000000_seed.sql", "insert into fruits (name) values ('apple'), ('pear');");
    const next = await f.deploy();
    expect(next).toMatchObject({ ok: true, pendingBefore: ["20240103000000_seed.sql"], applied: ["20240103000000_seed.sql"] });
    expect(await f.query("select count(*)::int as n from fruits")).toEqual([{ n: 2 }]);
  });

  it("fails a broken migration with dbmate's own message, keeping what was applied before it", async () => {
    const f = await fixture();
    f.write("20240101000000_create_fruits.sql", "create table fruits (id serial primary key);");
    f.write("20240102000000_broken.sql", "alter table vegetables add column x int;");
    const report = await f.deploy();
    expect(report.ok).toBe(false);
    expect(report.failure?.kind).toBe("migration-failed");
    expect(report.failure?.message).toMatch(/relation "vegetables" does not exist/);
    expect(report.applied).toEqual(["20240101000000_create_fruits.sql"]);
    expect(report.pendingAfter).toEqual(["20240102000000_broken.sql"]);
    expect(report.summary).toMatch(/^dbmate: migration failed at 20240102000000_broken\.sql: .*relation "vegetables" does not exist/);
    // The failed migration's transaction was rolled back: no column, no record.
    expect(await f.query("select version from schema_migrations order by version")).toEqual([{ version: "20240101000000" }]);
  });

  it("refuses a migration older than the newest applied one (history mismatch), with dbmate's message", async () => {
    const f = await fixture();
    f.write("20240101000000_a.sql", "create table a (id int);");
    f.write("20240103000000_c.sql", "create table c (id int);");
    expect((await f.deploy()).ok).toBe(true);
    f.write("20240102000000_b.sql", "create table b (id int);");
    const report = await f.deploy();
    expect(report.ok).toBe(false);
    expect(report.failure?.kind).toBe("history-mismatch");
    expect(report.failure?.message).toMatch(/migration `20240102000000` is out of order/);
    expect(report.pendingBefore).toEqual(["20240102000000_b.sql"]);
    expect(report.applied).toEqual([]);
    expect(await f.query("select to_regclass('public.b') as t")).toEqual([{ t: null }]);
  });

  it("reports a status failure (wrong credentials) with the tool's message and applies nothing", async () => {
    const f = await fixture("not-the-password");
    f.write("20240101000000_a.sql", "create table a (id int);");
    const report = await f.deploy();
    expect(report.ok).toBe(false);
    expect(report.failure?.kind).toBe("status-failed");
    expect(report.failure?.message).toMatch(/password authentication failed/);
    expect(f.commands).toHaveLength(1);
  });
});
