import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { dbmateUpArgs, migrationUrl } from "../../src/migrate.js";

const ARN = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:fruit-db-AbCdEf";

describe("migrationUrl", () => {
  it("adds the configured sslmode to a DATABASE_URL that has none", async () => {
    expect(await migrationUrl(loadConfig({ DATABASE_URL: "postgres://u:p@db:5432/fruits", DB_SSL: "require" }))).toBe(
      "postgres://u:p@db:5432/fruits?sslmode=require",
    );
    expect(await migrationUrl(loadConfig({ DATABASE_URL: "postgres://u:p@db/fruits?sslmode=disable", DB_SSL: "require" }))).toContain("sslmode=disable");
  });

  it("percent-encodes a generated password read from Secrets Manager", async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: "fruit_admin", password: "p@ss:w/rd#1%" }) });
    const client = new SecretsManagerClient({ region: "eu-west-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" } });
    const config = loadConfig({ DB_SECRET_ARN: ARN, PGHOST: "db.internal", PGPORT: "5432", PGDATABASE: "fruits", DB_SSL: "require" });
    const url = await migrationUrl(config, { secretsClient: client });
    expect(url).toBe("postgres://fruit_admin:p%40ss%3Aw%2Frd%231%25@db.internal:5432/fruits?sslmode=require");
    expect(decodeURIComponent(new URL(url).password)).toBe("p@ss:w/rd#1%");
    sm.restore();
  });
});

describe("dbmateUpArgs", () => {
  it("waits for the database and never writes schema.sql", () => {
    expect(dbmateUpArgs("/app/db/migrations")).toEqual(["--migrations-dir", "/app/db/migrations", "--no-dump-schema", "--wait", "--wait-timeout", "60s", "up"]);
  });
});
