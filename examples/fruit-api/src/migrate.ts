import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { AppConfig } from "./config.js";
import { ConfigError, loadConfig } from "./config.js";
import { poolConfig, type PoolOptions } from "./db/pool.js";

/**
 * The postgres:// URL dbmate needs, built from the same credential sources as the app (including
 * DB_SECRET_ARN), so the migration task in the VPC reads the same secret the service does.
 * User and password are percent-encoded: generated passwords contain URL-reserved characters.
 */
export async function migrationUrl(config: AppConfig, options: PoolOptions = {}): Promise<string> {
  const settings = await poolConfig(config, options);
  const sslmode = config.ssl.mode;
  if (settings.connectionString) {
    const url = new URL(settings.connectionString);
    if (!url.searchParams.has("sslmode")) url.searchParams.set("sslmode", sslmode);
    return url.toString();
  }
  const password = typeof settings.password === "function" ? await settings.password() : settings.password;
  if (!settings.host || !settings.database || !settings.user || password === undefined) {
    throw new ConfigError("cannot build the migration URL: host, database, user and password are all needed");
  }
  const auth = `${encodeURIComponent(settings.user)}:${encodeURIComponent(password)}`;
  return `postgres://${auth}@${settings.host}:${settings.port ?? 5432}/${encodeURIComponent(settings.database)}?sslmode=${sslmode}`;
}

/** Arguments for `dbmate up`: waits for the database (a fresh RDS instance may still be starting), never dumps schema.sql. */
export function dbmateUpArgs(migrationsDir: string): string[] {
  return ["--migrations-dir", migrationsDir, "--no-dump-schema", "--wait", "--wait-timeout", "60s", "up"];
}

// `node dist/migrate.js` in the image: the pipeline's DB deploy step runs it as a one-off ECS task.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const migrationsDir = fileURLToPath(new URL("../db/migrations", import.meta.url));
  migrationUrl(loadConfig())
    .then((url) => {
      const result = spawnSync(process.env.DBMATE_BIN ?? "dbmate", dbmateUpArgs(migrationsDir), {
        stdio: "inherit",
        env: { ...process.env, DATABASE_URL: url },
      });
      if (result.error) throw result.error;
      process.exit(result.status ?? 1);
    })
    .catch((error: unknown) => {
      console.error(JSON.stringify({ level: 60, time: Date.now(), msg: "migration failed", err: { type: (error as Error).name, message: (error as Error).message } }));
      process.exit(1);
    });
}
