// The DB deploy action in containers: the pinned tool image (or the app image for a custom
// command), bound to the database, credentials as Secrets only. The command lines, environment and
// parsing come from the shared driver (tools.ts) and flow (deploy.ts).
import { ReturnType, type Container, type Directory, type Secret, type Service } from "@dagger.io/dagger";
import { dag } from "@dagger.io/dagger";
import type { DatabaseConfig } from "../../config/sections/database.js";
import { deployMigrations, type CommandRunner } from "./deploy.js";
import type { DbDeployReport } from "./report.js";
import { migrationDriver, toolMessage, type DbEndpoint } from "./tools.js";

/** A database to deploy to: where it is, how to reach it, and its credentials as Secrets. */
export interface DbTarget {
  endpoint: DbEndpoint;
  password: Secret;
  url: Secret;
  /** Bound under `endpoint.host` when the database is a Dagger service (Beta). */
  service?: Service;
}

export interface DbDeployInput {
  /** The migration settings (the `aws` part is Gamma's and Prod's, unused here). */
  database: Omit<DatabaseConfig, "aws">;
  /** The application source (holds the migrations folder). */
  source: Directory;
  target: DbTarget;
  /** The packaged application image, for `tool: custom`. */
  appImage: Container;
  /** Unique per run, so that no step is served from the cache. */
  runId: string;
}

/** Runs each command as the next exec of one container, so the steps keep their order. */
export function containerRunner(base: Container): CommandRunner {
  let container = base;
  let step = 0;
  return async (argv) => {
    container = container.withEnvVariable("DPRA_STEP", String(++step)).withExec(argv, { expect: ReturnType.Any });
    const [exitCode, stdout, stderr] = await Promise.all([container.exitCode(), container.stdout(), container.stderr()]);
    return { exitCode, stdout, stderr };
  };
}

function bind(container: Container, target: DbTarget): Container {
  return target.service ? container.withServiceBinding(target.endpoint.host, target.service) : container;
}

/** Deploys the migrations with the configured tool and reports pending-before and applied. */
export async function runDbDeploy(input: DbDeployInput): Promise<DbDeployReport> {
  const { database, target } = input;
  const migrations = input.source.directory(database.migrations);
  if (database.tool === "custom") return runCustom(input);
  const driver = migrationDriver(database.tool, { changelog: database.changelog });
  const env = driver.environment(target.endpoint);
  let base = bind(dag.container().from(driver.image), target).withDirectory(driver.mountPath, migrations).withWorkdir(driver.mountPath).withEnvVariable("DPRA_RUN_ID", input.runId);
  for (const [name, value] of Object.entries(env.plain)) base = base.withEnvVariable(name, value);
  for (const [name, kind] of Object.entries(env.secrets)) base = base.withSecretVariable(name, kind === "url" ? target.url : target.password);
  return deployMigrations(containerRunner(base), driver, driver.mountPath);
}

/** A custom migration command in the app image. It cannot say what is pending: the report says so. */
async function runCustom(input: DbDeployInput): Promise<DbDeployReport> {
  const { database, target } = input;
  const command = database.command ?? "";
  const run = containerRunner(
    bind(input.appImage, target)
      .withEnvVariable("PGHOST", target.endpoint.host)
      .withEnvVariable("PGPORT", String(target.endpoint.port))
      .withEnvVariable("PGDATABASE", target.endpoint.database)
      .withEnvVariable("PGUSER", target.endpoint.user)
      .withSecretVariable("PGPASSWORD", target.password)
      .withSecretVariable("DATABASE_URL", target.url)
      .withEnvVariable("DPRA_RUN_ID", input.runId),
  );
  const result = await run(["sh", "-c", command]);
  const base = { tool: "custom", pendingBefore: [], applied: [], pendingAfter: [] };
  if (result.exitCode === 0) {
    return { ...base, ok: true, status: "migrated", summary: `custom migration command succeeded (\`${command}\`); it does not report pending or applied migrations` };
  }
  const message = toolMessage(result);
  return { ...base, ok: false, status: "failed", failure: { kind: "migration-failed", message }, summary: `custom migration command failed: ${message.split("\n").pop()}` };
}
