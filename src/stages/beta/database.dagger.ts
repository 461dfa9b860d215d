// The Beta database: PostgreSQL as a Dagger service with a password generated for this run. The
// password reaches containers only as a Secret; the DATABASE_URL that embeds it is a Secret too.
import { randomBytes } from "node:crypto";
import { dag, type Container, type Secret, type Service } from "@dagger.io/dagger";
import type { DbEndpoint } from "../../actions/db-deploy/tools.js";
import { postgresUrl } from "../../actions/db-deploy/tools.js";
import { POSTGRES_IMAGE } from "./images.js";

/** Hostname under which the database service is bound into other containers. */
export const DB_HOST = "db";
export const DB_USER = "app";

export interface BetaDatabase {
  service: Service;
  endpoint: DbEndpoint;
  password: Secret;
  /** `postgres://app:<password>@db:5432/<name>?sslmode=disable`, as a Secret. */
  url: Secret;
}

/** Defines the PostgreSQL service of one Beta run. Nothing starts until a container binds it or `start()`. */
export function betaDatabase(name: string, runId: string): BetaDatabase {
  // Hex keeps the password URL-safe; 32 bytes of entropy, new for every run.
  const plaintext = randomBytes(32).toString("hex");
  const password = dag.setSecret(`dpra-beta-db-password-${runId}`, plaintext);
  const endpoint: DbEndpoint = { host: DB_HOST, port: 5432, database: name, user: DB_USER, sslmode: "disable" };
  const url = dag.setSecret(`dpra-beta-database-url-${runId}`, postgresUrl(endpoint, plaintext));
  const service = dag
    .container()
    .from(POSTGRES_IMAGE)
    .withEnvVariable("POSTGRES_USER", DB_USER)
    .withEnvVariable("POSTGRES_DB", name)
    .withSecretVariable("POSTGRES_PASSWORD", password)
    .withExposedPort(5432)
    .asService({ useEntrypoint: true });
  return { service, endpoint, password, url };
}

/** Binds the database into a container with the usual variables: PG* plain, password and URL as secrets. */
export function withDatabase(container: Container, db: BetaDatabase): Container {
  return container
    .withServiceBinding(DB_HOST, db.service)
    .withEnvVariable("PGHOST", db.endpoint.host)
    .withEnvVariable("PGPORT", String(db.endpoint.port))
    .withEnvVariable("PGDATABASE", db.endpoint.database)
    .withEnvVariable("PGUSER", db.endpoint.user)
    .withSecretVariable("PGPASSWORD", db.password)
    .withSecretVariable("DATABASE_URL", db.url);
}

/** `withDatabase` for one database, as the test suites take it. */
export function databaseBinding(db: BetaDatabase): (container: Container) => Container {
  return (container) => withDatabase(container, db);
}
