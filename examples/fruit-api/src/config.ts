/**
 * Runtime configuration, read once from the environment. Every value is checked here so that a
 * bad setting stops the service at start-up with a message naming the variable, not later.
 */

export type SslMode = "disable" | "require" | "verify-full";

/** Where the database credentials come from. */
export type DatabaseSource =
  | { kind: "url"; url: string }
  | { kind: "env"; host: string; port: number; database: string; user: string; password: string }
  | { kind: "secret"; secretArn: string; host?: string; port: number; database?: string; refreshSeconds: number };

export interface AppConfig {
  host: string;
  port: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** How long in-flight requests may take to finish after SIGTERM. */
  shutdownGraceMs: number;
  database: DatabaseSource;
  ssl: { mode: SslMode; caFile?: string };
  /** Upper bound of pooled connections per task. */
  poolMax: number;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const SSL_MODES = ["disable", "require", "verify-full"] as const;

export function loadConfig(env: Env = process.env): AppConfig {
  const sslMode = oneOf(env, "DB_SSL", SSL_MODES, "disable");
  const caFile = optional(env, "DB_SSL_CA_FILE");
  return {
    host: optional(env, "HOST") ?? "0.0.0.0",
    port: integer(env, "PORT", 8080, 0, 65535),
    logLevel: oneOf(env, "LOG_LEVEL", LOG_LEVELS, "info"),
    shutdownGraceMs: integer(env, "SHUTDOWN_GRACE_MS", 10_000, 0, 120_000),
    database: databaseSource(env),
    ssl: caFile === undefined ? { mode: sslMode } : { mode: sslMode, caFile },
    poolMax: integer(env, "DB_POOL_MAX", 10, 1, 100),
  };
}

function databaseSource(env: Env): DatabaseSource {
  const url = optional(env, "DATABASE_URL");
  const secretArn = optional(env, "DB_SECRET_ARN");
  if (url !== undefined && secretArn !== undefined) {
    throw new ConfigError("DATABASE_URL and DB_SECRET_ARN are both set: set only one source of database credentials");
  }
  if (url !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new ConfigError("DATABASE_URL: expected a postgres:// or postgresql:// URL");
    }
    return { kind: "url", url };
  }
  if (secretArn !== undefined) {
    if (!/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/.test(secretArn)) {
      throw new ConfigError("DB_SECRET_ARN: expected a Secrets Manager secret ARN, arn:aws:secretsmanager:<region>:<account>:secret:<name>");
    }
    return {
      kind: "secret",
      secretArn,
      host: optional(env, "PGHOST"),
      port: integer(env, "PGPORT", 5432, 1, 65535),
      database: optional(env, "PGDATABASE"),
      refreshSeconds: integer(env, "DB_SECRET_REFRESH_SECONDS", 300, 0, 86_400),
    };
  }
  const missing = ["PGHOST", "PGDATABASE", "PGUSER", "PGPASSWORD"].filter((name) => optional(env, name) === undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      `no database configured: set DATABASE_URL, or DB_SECRET_ARN (with PGHOST and PGDATABASE unless the secret holds them), ` +
        `or all of PGHOST, PGDATABASE, PGUSER and PGPASSWORD (missing: ${missing.join(", ")})`,
    );
  }
  return {
    kind: "env",
    host: env.PGHOST as string,
    port: integer(env, "PGPORT", 5432, 1, 65535),
    database: env.PGDATABASE as string,
    user: env.PGUSER as string,
    password: env.PGPASSWORD as string,
  };
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name}: expected a whole number between ${min} and ${max}, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name}: expected a whole number between ${min} and ${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name}: expected one of ${allowed.join(", ")}, got "${raw}"`);
  }
  return raw as T;
}
