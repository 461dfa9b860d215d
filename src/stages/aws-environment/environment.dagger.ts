// Shared by the Gamma and Prod providers: the environment's CloudFormation side, built from the
// release context (template from the source, clients with the environment's chained role).
import { environmentDbDeploy, type RegionDbDeployPort } from "../../actions/db-deploy/environment.js";
import { regionAlarmSet } from "../../actions/monitoring/alarm-set.js";
import type { RegionClients } from "../../actions/progressive-deployment/cfn-region.js";
import type { AwsEnvironment } from "../../config/sections/environments.js";
import { readTemplate } from "../../deploy/deploy.dagger.js";
import { changeSetRunId, type CfnEnvironment } from "./cfn.js";
import type { DaggerReleaseContext, ReleaseAws } from "../../pipeline/context.dagger.js";

export function releaseAws(ctx: DaggerReleaseContext): ReleaseAws {
  if (!ctx.aws) throw new Error("this release was started without AWS access; Gamma and Prod need it");
  return ctx.aws;
}

export function environmentOf(ctx: DaggerReleaseContext, name: "gamma" | "prod"): AwsEnvironment {
  const env = ctx.config.environments[name];
  if (!env) throw new Error(`dpra.yaml has no environments.${name}`);
  return env;
}

/** Clients of one environment's regions, with its role assumed (chained from the caller's credentials). */
export async function environmentClients(ctx: DaggerReleaseContext, name: "gamma" | "prod", env: AwsEnvironment): Promise<(region: string) => RegionClients> {
  const aws = releaseAws(ctx);
  const identity = await aws.identity();
  await aws.world.ready();
  const cache = new Map<string, RegionClients>();
  return (region) => {
    let c = cache.get(region);
    if (!c) {
      c = aws.world.regionClients(name, region, identity.forRole(name, env.roleArn, region).credentials);
      cache.set(region, c);
    }
    return c;
  };
}

export async function cfnEnvironment(ctx: DaggerReleaseContext, name: "gamma" | "prod", reference: string, pollMs?: number): Promise<CfnEnvironment> {
  const configured = environmentOf(ctx, name);
  const migrationImage = ctx.config.database?.aws.migrationImageParameter;
  // With a database, every deploy also pins the migration task to the release's image: the software
  // deploy then leaves the task definition the DB deploy migrated with as it is.
  const env = migrationImage ? { ...configured, parameters: { ...configured.parameters, [migrationImage]: reference } } : configured;
  const templateBody = await readTemplate(ctx.source, env);
  return {
    envName: name,
    env,
    templateBody,
    reference,
    runId: changeSetRunId({ envName: name, env, reference, templateBody }),
    clientsFor: await environmentClients(ctx, name, env),
    log: (line) => console.log(line),
    ...(pollMs !== undefined ? { pollMs } : {}),
  };
}

/**
 * The DB deploy of the environment (src/actions/db-deploy/environment.ts) with its clients: the
 * CloudFormation client of the environment's deploy and an ECS client with the same chained role.
 * Undefined when the app has no database.
 */
export async function regionDbDeploy(ctx: DaggerReleaseContext, cfn: CfnEnvironment): Promise<RegionDbDeployPort | undefined> {
  const database = ctx.config.database;
  if (!database) return undefined;
  const aws = releaseAws(ctx);
  const env = environmentOf(ctx, cfn.envName);
  const identity = await aws.identity();
  return environmentDbDeploy({
    envName: cfn.envName,
    env: cfn.env,
    database,
    reference: cfn.reference,
    runId: changeSetRunId(cfn),
    templateBody: cfn.templateBody,
    // The migration change set has the same rollback triggers as the software deploy's.
    rollbackAlarmArns: (region, outputs) => regionAlarmSet(cfn.env, region, outputs).triggers.map((a) => a.arn),
    clients: async (region) => ({
      cloudFormation: cfn.clientsFor(region).cloudFormation,
      ecs: await aws.world.ecs(cfn.envName, region, identity.forRole(cfn.envName, env.roleArn, region).credentials),
    }),
    log: cfn.log,
    ...(cfn.pollMs !== undefined ? { pollMs: cfn.pollMs } : {}),
  });
}
