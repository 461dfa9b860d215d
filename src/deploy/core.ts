// The deploy and diff of an AWS environment without any Dagger type: the Dagger functions
// (src/deploy/deploy.dagger.ts) and the engine-free `dpra deploy` / `dpra diff` both call `deployCore`, so
// CloudFormation, alarms and change sets take one code path. Callers bring the config, a way to
// read the source's files, and the run's identity (from Dagger Secrets, or the SDK's default chain).
import { requireProdApproval, type ProdApprovalInput } from "../actions/approval/require.js";
import type { CredentialProvider } from "../aws/credentials/providers.js";
import type { RunIdentity } from "../aws/credentials/run-identity.js";
import { formatRootCause } from "../aws/cloudformation/events.js";
import type { RegionClients } from "../actions/progressive-deployment/cfn-region.js";
import { deployEnvironment, type EnvironmentDeployment } from "../actions/progressive-deployment/deploy.js";
import { contentRunId } from "../actions/progressive-deployment/stack-settings.js";
import { cloudFormationSdk, cloudWatchSdk, sdkRetrying } from "../aws/sdk.js";
import { assertContract } from "../config/contract-check.js";
import { PinnedImage } from "../config/sections/common.js";
import { AwsEnvironmentName, type AwsEnvironment } from "../config/sections/environments.js";
import type { DpraConfig } from "../config/schema.js";
import { errorMessage } from "../errors.js";

export interface DeployCoreArgs {
  config: DpraConfig;
  /** Reads a file of the source by its path relative to the source (the environment's template). */
  readSourceFile(relativePath: string): Promise<string>;
  /** How errors name a file of the source (default: its path relative to the source). */
  describeSourceFile?(relativePath: string): string;
  env: string;
  image: string;
  preview: boolean;
  runId?: string;
  /** Prod approval (--ci-vars, --ci-environment, --approved-by): checked before any credential or change set. */
  approval?: ProdApprovalInput;
  /** The run's identities, made once the app, region and run ID are known. */
  identity(opts: { app: string; region: string; runId: string }): Promise<RunIdentity>;
  /** Builds a region's clients from the environment's credentials (tests inject fakes). */
  makeClients?: (region: string, credentials: CredentialProvider) => RegionClients;
  /** Progress lines, as they happen. */
  log(line: string): void;
}

/** Real SDK clients of a region; the SDK packages are loaded on first use (see src/aws/sdk.ts). */
export async function sdkClientFactory(): Promise<(region: string, credentials: CredentialProvider) => RegionClients> {
  const [cfn, cw] = await Promise.all([cloudFormationSdk(), cloudWatchSdk()]);
  return (region, credentials) => ({
    cloudFormation: new cfn.CloudFormationClient({ region, credentials, ...sdkRetrying() }),
    cloudWatch: new cw.CloudWatchClient({ region, credentials, ...sdkRetrying() }),
  });
}

/** Resolves the environment's template and credentials, then deploys (or previews) it. */
export async function deployCore(args: DeployCoreArgs): Promise<EnvironmentDeployment> {
  const pinned = PinnedImage.safeParse(args.image);
  if (!pinned.success) throw new Error(`--image "${args.image}": ${pinned.error.issues[0]?.message ?? "expected an image pinned by digest"}`);
  const { name: envName, env } = awsEnvironmentOf(args.config, args.env);
  // Prod executes nothing without an approval: checked before credentials, clients or change sets.
  requireProdApproval({ config: args.config.approval, env: envName, preview: args.preview, input: args.approval ?? {} });
  // The config↔template contract (parameters, outputs, deployment.strategy): refused before any credential or AWS call.
  await assertContract(args.config, [envName], { read: args.readSourceFile, describe: args.describeSourceFile ?? ((p) => p) });
  const template = await readTemplate(args.readSourceFile, env);
  const region0 = env.region ?? env.waves?.[0]?.regions[0] ?? "us-east-1";
  const runId = args.runId ?? contentRunId(envName, env, args.image, template);
  const identity = await args.identity({ app: args.config.name ?? env.stackName, region: region0, runId });
  const makeClients = args.makeClients ?? (await sdkClientFactory());
  const clients = new Map<string, RegionClients>();
  const clientsFor = (region: string): RegionClients => {
    let c = clients.get(region);
    if (!c) {
      c = makeClients(region, identity.forRole(envName, env.roleArn, region).credentials);
      clients.set(region, c);
    }
    return c;
  };
  return deployEnvironment({ envName, env, clientsFor, templateBody: template, image: args.image, runId, preview: args.preview, log: args.log });
}

/** True when the deploy did not stand: the caller fails (CI fails), with `deploymentSummary` as the reason. */
export function deploymentFailed(d: EnvironmentDeployment): boolean {
  return d.status === "failed" || d.status === "rolled-back";
}

/** What a deploy summary says, in the shape both the Dagger result object and the CLI hold. */
export interface DeploymentFacts {
  environment: string;
  stackName: string;
  status: string;
  message: string;
  regions: ReadonlyArray<{ region: string; wave: string; status: string; stackStatus: string; rootCause: string; rollback: string }>;
  alarm: string;
}

export function deploymentFacts(d: EnvironmentDeployment): DeploymentFacts {
  return {
    environment: d.envName,
    stackName: d.stackName,
    status: d.status,
    message: d.message,
    regions: d.regions.map((r) => ({
      region: r.region,
      wave: r.wave,
      status: r.status,
      stackStatus: r.stack?.stackStatus ?? "",
      rootCause: r.stack?.rootCause ? formatRootCause(r.stack.rootCause) : "",
      rollback: r.rollback?.message ?? "",
    })),
    alarm: breachText(d),
  };
}

/** A readable summary: status, then one line per region with its root cause or rollback, and the alarm. */
export function deploymentSummary(d: DeploymentFacts): string {
  const lines = [`${d.environment} ${d.stackName}: ${d.status} - ${d.message}`];
  for (const r of d.regions) {
    const extra = [r.rootCause && `root cause: ${r.rootCause}`, r.rollback && `rollback: ${r.rollback}`].filter(Boolean).join("; ");
    lines.push(`  ${r.region} (wave ${r.wave}): ${r.status}${r.stackStatus ? ` [${r.stackStatus}]` : ""}${extra ? ` - ${extra}` : ""}`);
  }
  if (d.alarm) lines.push(`  alarm: ${d.alarm}`);
  return lines.join("\n");
}

export function breachText(d: EnvironmentDeployment): string {
  return d.breach ? `${d.breach.name} in ${d.breach.region} during the ${d.breach.phase} of wave ${d.breach.wave}: ${d.breach.reason}` : "";
}

/** An AWS environment of dpra.yaml by name; clear errors for beta, unknown names and missing sections. */
export function awsEnvironmentOf(config: DpraConfig, name: string): { name: AwsEnvironmentName; env: AwsEnvironment } {
  const envName = parseEnvName(name);
  const env = config.environments[envName];
  if (!env) throw new Error(`dpra.yaml has no environments.${envName}: add it (account, roleArn, region or waves, stackName) to deploy there.`);
  return { name: envName, env };
}

function parseEnvName(env: string): AwsEnvironmentName {
  const parsed = AwsEnvironmentName.safeParse(env);
  if (!parsed.success) throw new Error(`--env "${env}": expected gamma or prod (beta runs on Dagger services, not CloudFormation).`);
  return parsed.data;
}

/** Reads the environment's template through the caller's file reader; the error names the setting. */
export async function readTemplate(read: (path: string) => Promise<string>, env: AwsEnvironment): Promise<string> {
  try {
    return await read(env.template);
  } catch (err) {
    throw new Error(`cannot read the CloudFormation template ${env.template} from the source (environments.*.template): ${errorMessage(err)}`, { cause: err });
  }
}
