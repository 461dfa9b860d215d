import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { poolConfig } from "../../src/db/pool.js";
import { fetchDatabaseSecret, SecretCache, SecretError } from "../../src/db/secret.js";

const ARN = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:fruit-db-AbCdEf";
const sm = mockClient(SecretsManagerClient);
let client: SecretsManagerClient;

beforeEach(() => {
  sm.reset();
  client = new SecretsManagerClient({ region: "eu-west-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" } });
});
afterEach(() => client.destroy());

const secretString = (value: unknown) => ({ SecretString: JSON.stringify(value) });

describe("fetchDatabaseSecret", () => {
  it("reads an RDS-managed master secret (username and password only)", async () => {
    sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves(secretString({ username: "fruit", password: "pw-1" }));
    await expect(fetchDatabaseSecret(client, ARN)).resolves.toEqual({ username: "fruit", password: "pw-1" });
  });

  it("reads host, port and dbname when the secret holds them", async () => {
    sm.on(GetSecretValueCommand).resolves(secretString({ username: "fruit", password: "pw", host: "db.example", port: 5433, dbname: "fruits", engine: "postgres" }));
    await expect(fetchDatabaseSecret(client, ARN)).resolves.toEqual({ username: "fruit", password: "pw", host: "db.example", port: 5433, dbname: "fruits" });
  });

  it.each([
    [{ SecretBinary: new Uint8Array([1]) }, /has no SecretString/],
    [{ SecretString: "username=fruit" }, /is not JSON/],
    [secretString(["fruit"]), /expected a JSON object/],
    [secretString({ username: "fruit" }), /password must be a non-empty string/],
    [secretString({ username: "fruit", password: "pw", port: "http" }), /port must be a whole number/],
  ])("refuses a malformed secret %#", async (answer, message) => {
    sm.on(GetSecretValueCommand).resolves(answer);
    await expect(fetchDatabaseSecret(client, ARN)).rejects.toThrow(message);
  });

  it("never puts the secret's content into an error", async () => {
    sm.on(GetSecretValueCommand).resolves(secretString({ username: "fruit", password: "", extra: "hunter2" }));
    const error = await fetchDatabaseSecret(client, ARN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretError);
    expect(String(error)).not.toContain("hunter2");
  });

  it("explains an AWS error with the secret ARN and the permission to check", async () => {
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} }));
    await expect(fetchDatabaseSecret(client, ARN)).rejects.toThrow(
      `could not read database secret ${ARN} (ResourceNotFoundException: Secrets Manager can't find the specified secret.)`,
    );
  });
});

describe("SecretCache", () => {
  it("reads once within the refresh period and again after it, picking up a rotated password", async () => {
    sm.on(GetSecretValueCommand)
      .resolvesOnce(secretString({ username: "fruit", password: "old" }))
      .resolves(secretString({ username: "fruit", password: "new" }));
    let now = 0;
    const cache = new SecretCache(client, ARN, 60, () => now);
    expect((await cache.get()).password).toBe("old");
    now = 59_000;
    expect((await cache.get()).password).toBe("old");
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    now = 60_000;
    expect((await cache.get()).password).toBe("new");
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it("shares one request between concurrent callers", async () => {
    sm.on(GetSecretValueCommand).resolves(secretString({ username: "fruit", password: "pw" }));
    const cache = new SecretCache(client, ARN, 60);
    await Promise.all([cache.get(), cache.get(), cache.get()]);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it("keeps the last good value when a refresh fails, and reports the failure", async () => {
    sm.on(GetSecretValueCommand).resolvesOnce(secretString({ username: "fruit", password: "pw" })).rejects(new Error("throttled"));
    let now = 0;
    const failures: unknown[] = [];
    const cache = new SecretCache(client, ARN, 1, () => now, (e) => failures.push(e));
    await cache.get();
    now = 5_000;
    expect((await cache.get()).password).toBe("pw");
    expect(String(failures[0])).toContain("throttled");
  });

  it("fails when the very first read fails", async () => {
    sm.on(GetSecretValueCommand).rejects(new Error("AccessDenied"));
    await expect(new SecretCache(client, ARN, 60).get()).rejects.toThrow(/secretsmanager:GetSecretValue/);
  });
});

describe("poolConfig with DB_SECRET_ARN", () => {
  it("connects as the secret's user to PGHOST/PGDATABASE and asks the cache for the password on each connection", async () => {
    sm.on(GetSecretValueCommand)
      .resolvesOnce(secretString({ username: "fruit", password: "first" }))
      .resolves(secretString({ username: "fruit", password: "rotated" }));
    const config = loadConfig({ DB_SECRET_ARN: ARN, PGHOST: "db.internal", PGDATABASE: "fruits", DB_SECRET_REFRESH_SECONDS: "0", DB_SSL: "require" });
    const settings = await poolConfig(config, { secretsClient: client });
    expect(settings).toMatchObject({ host: "db.internal", port: 5432, database: "fruits", user: "fruit", ssl: { rejectUnauthorized: false } });
    expect(typeof settings.password).toBe("function");
    const password = settings.password as () => Promise<string>;
    expect(await password()).toBe("rotated");
  });

  it("prefers the host, port and dbname the secret holds", async () => {
    sm.on(GetSecretValueCommand).resolves(secretString({ username: "u", password: "p", host: "h", port: 6543, dbname: "d" }));
    const settings = await poolConfig(loadConfig({ DB_SECRET_ARN: ARN }), { secretsClient: client });
    expect(settings).toMatchObject({ host: "h", port: 6543, database: "d", user: "u" });
  });

  it("stops start-up with a clear message when neither the secret nor the environment names the host", async () => {
    sm.on(GetSecretValueCommand).resolves(secretString({ username: "u", password: "p" }));
    await expect(poolConfig(loadConfig({ DB_SECRET_ARN: ARN }), { secretsClient: client })).rejects.toThrow(/set PGHOST and PGDATABASE/);
  });

  it("passes a DATABASE_URL through and turns TLS off by default", async () => {
    const settings = await poolConfig(loadConfig({ DATABASE_URL: "postgres://u:p@h/d" }));
    expect(settings).toMatchObject({ connectionString: "postgres://u:p@h/d", ssl: false, max: 10 });
  });
});
