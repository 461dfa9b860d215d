import { readFileSync } from "node:fs";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import pg from "pg";
import type { AppConfig } from "../config.js";
import { ConfigError } from "../config.js";
import { SecretCache } from "./secret.js";

export interface PoolOptions {
  /** Injected in tests; the default client uses the task role and the region from the environment. */
  secretsClient?: SecretsManagerClient;
  onSecretRefreshError?: (error: unknown) => void;
}

/** Builds the node-postgres pool settings for the configured credential source. */
export async function poolConfig(config: AppConfig, options: PoolOptions = {}): Promise<pg.PoolConfig> {
  const base: pg.PoolConfig = {
    max: config.poolMax,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    ssl: sslOptions(config),
    application_name: "fruit-api",
  };
  const db = config.database;
  switch (db.kind) {
    case "url":
      return { ...base, connectionString: db.url };
    case "env":
      return { ...base, host: db.host, port: db.port, database: db.database, user: db.user, password: db.password };
    case "secret": {
      const cache = new SecretCache(
        options.secretsClient ?? new SecretsManagerClient({}),
        db.secretArn,
        db.refreshSeconds,
        Date.now,
        options.onSecretRefreshError,
      );
      // Read once now: a missing or malformed secret should stop start-up with a clear message.
      const secret = await cache.get();
      const host = secret.host ?? db.host;
      const database = secret.dbname ?? db.database;
      if (host === undefined || database === undefined) {
        throw new ConfigError("DB_SECRET_ARN: the secret holds no host/dbname, so set PGHOST and PGDATABASE as well");
      }
      return {
        ...base,
        host,
        port: secret.port ?? db.port,
        database,
        user: secret.username,
        // node-postgres calls this for every new connection, so a rotated password is picked up.
        password: async () => (await cache.get()).password,
      };
    }
  }
}

function sslOptions(config: AppConfig): pg.PoolConfig["ssl"] {
  switch (config.ssl.mode) {
    case "disable":
      return false;
    case "require":
      // Encrypted, server certificate not verified: use verify-full with DB_SSL_CA_FILE where you can.
      return { rejectUnauthorized: false };
    case "verify-full":
      return config.ssl.caFile === undefined ? { rejectUnauthorized: true } : { rejectUnauthorized: true, ca: readFileSync(config.ssl.caFile, "utf8") };
  }
}

export async function createPool(config: AppConfig, options: PoolOptions = {}): Promise<pg.Pool> {
  return new pg.Pool(await poolConfig(config, options));
}
