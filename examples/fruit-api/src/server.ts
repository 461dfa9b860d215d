import type pg from "pg";
import { buildApp, type App } from "./app.js";
import type { AppConfig } from "./config.js";
import { createPool, type PoolOptions } from "./db/pool.js";
import { PgFruitRepository } from "./fruits/repository.js";

export interface RunningServer {
  app: App;
  pool: pg.Pool;
  /** The address the server listens on, e.g. http://127.0.0.1:8080. */
  url: string;
}

/** Connects the pool, builds the app and starts listening. Used by main.ts and by the integration tests. */
export async function startServer(config: AppConfig, options: PoolOptions = {}): Promise<RunningServer> {
  const pool = await createPool(config, options);
  const app = buildApp({
    fruits: new PgFruitRepository(pool),
    pingDatabase: async () => {
      await pool.query("SELECT 1");
    },
    logLevel: config.logLevel,
  });
  // An idle client that loses its connection emits here; without a listener the process would crash.
  pool.on("error", (error) => app.server.log.warn({ err: error }, "idle database connection failed"));
  try {
    const url = await app.server.listen({ host: config.host, port: config.port });
    return { app, pool, url };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

export async function stopServer(running: RunningServer): Promise<void> {
  running.app.startDraining();
  await running.app.server.close();
  await running.pool.end();
}
