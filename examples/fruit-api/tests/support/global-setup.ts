import type { TestProject } from "vitest/node";
import { loadConfig } from "../../src/config.js";
import { startServer, stopServer, type RunningServer } from "../../src/server.js";
import { dbmate } from "./dbmate.js";
import { startTestDatabase, type TestDatabase } from "./embedded-db.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The app under test. */
    baseUrl: string;
    /** Its database, when the tests may reach it (always locally; in Beta only if DATABASE_URL is given). */
    databaseUrl: string | undefined;
    /** True when this run started PostgreSQL and the app itself. */
    localStack: boolean;
  }
}

/**
 * Integration and E2E tests run against BASE_URL when it is set (the pipeline's Beta stage points it
 * at the deployed container). Without it, this starts a real PostgreSQL, applies the migrations with
 * dbmate and starts the app from source on a free port; everything is stopped again afterwards,
 * also when a test or the start-up itself fails.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = givenBaseUrl(process.env.BASE_URL);
  if (given !== undefined) {
    project.provide("baseUrl", given);
    project.provide("databaseUrl", process.env.DATABASE_URL?.trim() || undefined);
    project.provide("localStack", false);
    return async () => {};
  }

  let db: TestDatabase | undefined;
  let server: RunningServer | undefined;
  const teardown = async () => {
    if (server) await stopServer(server).catch(() => {});
    if (db) await db.stop();
  };
  try {
    db = await startTestDatabase();
    await dbmate(db.url, "up");
    server = await startServer(loadConfig({ DATABASE_URL: db.url, HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "warn" }));
    project.provide("baseUrl", server.url);
    project.provide("databaseUrl", db.url);
    project.provide("localStack", true);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

/**
 * Vitest copies Vite's `import.meta.env` into process.env when a variable is unset, so an unset
 * BASE_URL reads as Vite's base path "/". Only an absolute http(s) URL names a live instance.
 */
export function givenBaseUrl(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  if (value === undefined || value === "" || value === "/") return undefined;
  if (!/^https?:\/\/[^/]/.test(value)) {
    throw new Error(`BASE_URL: expected the app's absolute URL such as http://fruit-api:8080, got "${value}"`);
  }
  return value.replace(/\/+$/, "");
}
