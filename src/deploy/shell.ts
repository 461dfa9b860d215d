import type { Directory } from "@dagger.io/dagger";
import { PinnedImage } from "../config/sections/common.js";
import { AwsEnvironmentName, type AwsEnvironment } from "../config/sections/environments.js";
import { deployEnvironment, type EnvironmentDeployment, type RegionClients } from "../aws/deploy/environment.js";
import { contentRunId } from "../aws/deploy/plan.js";
import type { DpraConfig } from "../config/schema.js";
import { loadSourceConfig } from "../shell/source.js";
import type { CredentialProvider } from "../aws/credentials/providers.js";
import { cloudFormationSdk, cloudWatchSdk, sdkRetrying } from "../aws/sdk.js";
import { runIdentity, type CredentialSecrets } from "../publish/credentials.js";
import { DeployResult } from "./result.js";
import { requireProdApproval, type ProdApprovalInput } from "../approval/require.js";

export interface DeployArgs {
  source: Directory;
  env: string;
  image: string;
  preview: boolean;
  runId?: string;
  /** Prod approval (--ci-vars, --ci-environment, --approved-by): checked before any change set. */
  approval?: ProdApprovalInput;
  /** The shared credential arguments (see src/publish/credentials.ts). */
  secrets: CredentialSecrets;
  /** Builds a region's clients from the environment's credentials (tests inject fakes). */
  makeClients?: (region: string, credentials: CredentialProvider) => RegionClients;
}

/** Real SDK clients of a region; the SDK packages are loaded on first use (see src/aws/sdk.ts). */
export async function sdkClientFactory(): Promise<(region: string, credentials: CredentialProvider) => RegionClients> {
  const [cfn, cw] = await Promise.all([cloudFormationSdk(), cloudWatchSdk()]);
  return (region, credentials) => ({
    cloudFormation: new cfn.CloudFormationClient({ region, credentials, ...sdkRetrying() }),
    cloudWatch: new cw.CloudWatchClient({ region, credentials, ...sdkRetrying() }),
  });
}

/** Resolves the environment's config, template and credentials, then deploys (or previews) it. */
export async function runDeploy(args: DeployArgs): Promise<DeployResult> {
  const pinned = PinnedImage.safeParse(args.image);
  if (!pinned.success) throw new Error(`--image "${args.image}": ${pinned.error.issues[0]?.message ?? "expected an image pinned by digest"}`);
  const config = await loadSourceConfig(args.source);
  const { name: envName, env } = awsEnvironmentOf(config, args.env);
  // Prod executes nothing without an approval: checked before credentials, clients or change sets.
  requireProdApproval({ config: config.approval, env: envName, preview: args.preview, input: args.approval ?? {} });
  const template = await readTemplate(args.source, env);
  const region0 = env.region ?? env.waves?.[0]?.regions[0] ?? "us-east-1";
  const runId = args.runId ?? contentRunId(envName, env, args.image, template);
  const identity = await runIdentity(args.secrets, { app: config.name ?? env.stackName, region: region0, runId });
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
  const lines: string[] = [];
  const deployment: EnvironmentDeployment = await deployEnvironment({
    envName,
    env,
    clientsFor,
    templateBody: template,
    image: args.image,
    runId,
    preview: args.preview,
    log: (line) => {
      lines.push(line);
      console.log(line);
    },
  });
  const result = new DeployResult(deployment, lines);
  if (deployment.status === "failed" || deployment.status === "rolled-back") {
    // Fail the call so that CI fails; the summary carries the root cause and what was rolled back.
    throw new Error(result.summary());
  }
  return result;
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

export async function readTemplate(source: Directory, env: AwsEnvironment): Promise<string> {
  try {
    return await source.file(env.template).contents();
  } catch (err) {
    throw new Error(`cannot read the CloudFormation template ${env.template} from the source (environments.*.template): ${(err as Error).message}`, { cause: err });
  }
}
