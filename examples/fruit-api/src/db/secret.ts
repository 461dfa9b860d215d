import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/**
 * The fields of a database secret. RDS-managed master secrets (ManageMasterUserPassword) hold only
 * `username` and `password`; secrets attached with SecretTargetAttachment also hold host, port and dbname.
 */
export interface DatabaseSecret {
  username: string;
  password: string;
  host?: string;
  port?: number;
  dbname?: string;
}

export class SecretError extends Error {
  override name = "SecretError";
}

/** Reads and checks one secret value. The secret's content never appears in an error message. */
export async function fetchDatabaseSecret(client: SecretsManagerClient, secretArn: string): Promise<DatabaseSecret> {
  let text: string | undefined;
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    text = out.SecretString;
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new SecretError(`could not read database secret ${secretArn} (${reason}); check the task role allows secretsmanager:GetSecretValue`);
  }
  if (text === undefined) {
    throw new SecretError(`database secret ${secretArn} has no SecretString: store the credentials as a JSON string`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SecretError(`database secret ${secretArn} is not JSON: expected {"username": ..., "password": ...}`);
  }
  return checkSecret(parsed, secretArn);
}

function checkSecret(value: unknown, secretArn: string): DatabaseSecret {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new SecretError(`database secret ${secretArn}: expected a JSON object with username and password`);
  }
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  const text = (key: string, required: boolean): string | undefined => {
    const v = record[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== "string" || v === "") {
      problems.push(`${key} must be a non-empty string`);
      return undefined;
    }
    return v;
  };
  const username = text("username", true);
  const password = text("password", true);
  const host = text("host", false);
  const dbname = text("dbname", false);
  let port: number | undefined;
  if (record.port !== undefined) {
    const n = typeof record.port === "string" ? Number(record.port) : record.port;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 65535) problems.push("port must be a whole number between 1 and 65535");
    else port = n;
  }
  if (problems.length > 0 || username === undefined || password === undefined) {
    throw new SecretError(`database secret ${secretArn}: ${problems.join("; ")}`);
  }
  return { username, password, ...(host && { host }), ...(port && { port }), ...(dbname && { dbname }) };
}

/**
 * Caches the secret and reads it again once `refreshSeconds` have passed, so that new pool
 * connections pick up a rotated password without a restart. A failed refresh keeps the last value:
 * a Secrets Manager hiccup must not take down a service whose current password still works.
 */
export class SecretCache {
  private value: DatabaseSecret | undefined;
  private fetchedAt = 0;
  private inflight: Promise<DatabaseSecret> | undefined;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretArn: string,
    private readonly refreshSeconds: number,
    private readonly now: () => number = Date.now,
    private readonly onRefreshError: (error: unknown) => void = () => {},
  ) {}

  async get(): Promise<DatabaseSecret> {
    const fresh = this.value !== undefined && this.now() - this.fetchedAt < this.refreshSeconds * 1000;
    if (fresh && this.value) return this.value;
    this.inflight ??= fetchDatabaseSecret(this.client, this.secretArn).finally(() => {
      this.inflight = undefined;
    });
    try {
      this.value = await this.inflight;
      this.fetchedAt = this.now();
      return this.value;
    } catch (error) {
      if (this.value === undefined) throw error;
      this.onRefreshError(error);
      return this.value;
    }
  }
}
