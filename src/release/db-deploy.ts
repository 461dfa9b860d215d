// The DB deploy of Gamma and Prod, wired: per region, the CloudFormation client of the environment's
// deploy, an ECS client with the same chained role, and the migration task settings of dpra.yaml.
import { regionAlarmSet } from "../actions/progressive-deployment/alarms.js";
import { migrateBeforeDeploy, migrateNewStack, type DbDeployReport, type RegionDbDeployRequest } from "../aws/ecs/db-deploy.js";
import { digestOfReference } from "../aws/ecr/images.js";
import type { StackDeployment } from "../stages/gamma/stage.js";
import type { RegionDbDeployPort } from "../stages/prod/stage.js";
import { environmentOf, releaseAws } from "./aws-stage.js";
import { changeSetRunId, type CfnEnvironment } from "./cfn-waves.js";
import type { DaggerReleaseContext } from "./context.js";

/** The DB deploy of every region of the environment, or undefined when the app has no database. */
export async function regionDbDeploy(ctx: DaggerReleaseContext, cfn: CfnEnvironment): Promise<RegionDbDeployPort | undefined> {
  const database = ctx.config.database;
  if (!database) return undefined;
  const aws = releaseAws(ctx);
  const env = environmentOf(ctx, cfn.envName);
  const identity = await aws.identity();
  const request = async (region: string): Promise<RegionDbDeployRequest> => ({
    envName: cfn.envName,
    env: cfn.env,
    region,
    cloudFormation: cfn.clientsFor(region).cloudFormation,
    ecs: await aws.world.ecs(cfn.envName, region, identity.forRole(cfn.envName, env.roleArn, region).credentials),
    names: database.aws,
    reference: cfn.reference,
    runId: changeSetRunId(cfn),
    templateBody: cfn.templateBody,
    log: cfn.log,
    rollbackAlarmArns: (outputs) => regionAlarmSet(cfn.env, region, outputs).triggers.map((a) => a.arn),
    ...(cfn.pollMs !== undefined ? { pollMs: cfn.pollMs } : {}),
  });
  return {
    beforeDeploy: async (region: string, digest: string): Promise<DbDeployReport> => {
      if (digestOfReference(cfn.reference) !== digest) throw new Error(`asked to migrate with ${digest}, but this release deploys ${cfn.reference}`);
      return migrateBeforeDeploy(await request(region));
    },
    afterCreate: async (region: string, _deployment: StackDeployment): Promise<DbDeployReport> => migrateNewStack(await request(region)),
  };
}
