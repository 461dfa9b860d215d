import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

const URL_ENV = { DATABASE_URL: "postgres://app:pw@db:5432/fruits" };
const ARN = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:fruit-db-AbCdEf";

describe("loadConfig", () => {
  it("applies defaults around a DATABASE_URL", () => {
    expect(loadConfig(URL_ENV)).toEqual({
      host: "0.0.0.0",
      port: 8080,
      logLevel: "info",
      shutdownGraceMs: 10_000,
      database: { kind: "url", url: URL_ENV.DATABASE_URL },
      ssl: { mode: "disable" },
      poolMax: 10,
    });
  });

  it("reads every setting from the environment", () => {
    const config = loadConfig({ ...URL_ENV, HOST: "127.0.0.1", PORT: "3000", LOG_LEVEL: "debug", SHUTDOWN_GRACE_MS: "500", DB_SSL: "verify-full", DB_SSL_CA_FILE: "/ca.pem", DB_POOL_MAX: "4" });
    expect(config).toMatchObject({ host: "127.0.0.1", port: 3000, logLevel: "debug", shutdownGraceMs: 500, ssl: { mode: "verify-full", caFile: "/ca.pem" }, poolMax: 4 });
  });

  it("takes discrete PG* variables when no URL or secret is given", () => {
    expect(loadConfig({ PGHOST: "db", PGDATABASE: "fruits", PGUSER: "app", PGPASSWORD: "pw", PGPORT: "6432" }).database).toEqual({
      kind: "env",
      host: "db",
      port: 6432,
      database: "fruits",
      user: "app",
      password: "pw",
    });
  });

  it("takes a Secrets Manager ARN with the host and database from PGHOST/PGDATABASE", () => {
    expect(loadConfig({ DB_SECRET_ARN: ARN, PGHOST: "db.example", PGDATABASE: "fruits" }).database).toEqual({
      kind: "secret",
      secretArn: ARN,
      host: "db.example",
      port: 5432,
      database: "fruits",
      refreshSeconds: 300,
    });
  });

  it.each([
    [{}, /no database configured.*missing: PGHOST, PGDATABASE, PGUSER, PGPASSWORD/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL: expected a postgres:\/\//],
    [{ ...URL_ENV, DB_SECRET_ARN: ARN }, /both set/],
    [{ DB_SECRET_ARN: "fruit-db" }, /DB_SECRET_ARN: expected a Secrets Manager secret ARN/],
    [{ ...URL_ENV, PORT: "80a" }, /PORT: expected a whole number between 0 and 65535, got "80a"/],
    [{ ...URL_ENV, PORT: "70000" }, /PORT: .* got 70000/],
    [{ ...URL_ENV, LOG_LEVEL: "verbose" }, /LOG_LEVEL: expected one of fatal, error/],
    [{ ...URL_ENV, DB_SSL: "on" }, /DB_SSL: expected one of disable, require, verify-full/],
  ])("refuses %o with a message naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
