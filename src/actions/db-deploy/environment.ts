// The DB deploy of an AWS environment (Gamma, Prod), region by region: the port the stages call
// before each software deploy and after a first one, over the region flow of region.ts. The release
// hands in the clients (the environment's chained role) and the settings of dpra.yaml.
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { ECSClient } from "@aws-sdk/client-ecs";
import { digestOfReference } from "../../aws/ecr/images.js";
import type { DatabaseConfig } from "../../config/sections/database.js";
import type { AwsEnvironment } from "../../config/sections/environments.js";
import { migrateBeforeDeploy, migrateNewStack, type RegionDbDeployRequest } from "./region.js";
import type { DbDeployReport } from "./report.js";

/**
 * The DB deploy of one region at a time. `beforeDeploy` migrates into the existing stack (the
 * software deploy follows) or reports `deferred` when there is no stack yet; `afterCreate` then
 * migrates into the stack the software deploy created.
 */
export interface RegionDbDeployPort {
  beforeDeploy(region: string, digest: string): Promise<DbDeployReport>;
  afterCreate(region: string): Promise<DbDeployReport>;
}

export interface EnvironmentDbDeployInput {
  envName: "gamma" | "prod";
  env: AwsEnvironment;
  database: DatabaseConfig;
  /** The image the release deploys, pinned by digest (`repository@sha256:...`). */
  reference: string;
  /** The release's change-set seed for this environment. */
  runId: string;
  templateBody: string;
  /** The region's clients, with the environment's role. */
  clients(region: string): Promise<{ cloudFormation: CloudFormationClient; ecs: ECSClient }>;
  log: (line: string) => void;
  pollMs?: number;
  /** The migration change set's rollback triggers in a region, from the stack's outputs (default: dpra.yaml's alarms). */
  rollbackAlarmArns?: (region: string, outputs: Record<string, string>) => string[];
}

/** The DB deploy of every region of the environment. */
export function environmentDbDeploy(input: EnvironmentDbDeployInput): RegionDbDeployPort {
  const request = async (region: string): Promise<RegionDbDeployRequest> => ({
    envName: input.envName,
    env: input.env,
    region,
    ...(await input.clients(region)),
    tool: input.database.tool,
    names: input.database.aws,
    reference: input.reference,
    runId: input.runId,
    templateBody: input.templateBody,
    log: input.log,
    ...(input.pollMs !== undefined ? { pollMs: input.pollMs } : {}),
    ...(input.rollbackAlarmArns ? { rollbackAlarmArns: (outputs: Record<string, string>) => input.rollbackAlarmArns!(region, outputs) } : {}),
  });
  return {
    beforeDeploy: async (region, digest) => {
      if (digestOfReference(input.reference) !== digest) throw new Error(`asked to migrate with ${digest}, but this release deploys ${input.reference}`);
      return migrateBeforeDeploy(await request(region));
    },
    afterCreate: async (region) => migrateNewStack(await request(region)),
  };
}
