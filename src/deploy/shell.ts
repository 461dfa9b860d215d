import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { AwsCredentialIdentityProvider } from "@aws-sdk/types";
import type { Directory, Secret } from "@dagger.io/dagger";
import { PinnedImage } from "../config/sections/common.js";
import { AwsEnvironmentName, type AwsEnvironment } from "../config/sections/environments.js";
import { deployEnvironment, type EnvironmentDeployment, type RegionClients } from "../aws/deploy/environment.js";
import { contentRunId } from "../aws/deploy/plan.js";
import { loadSourceConfig } from "../shell/source.js";
import { environmentCredentials, type CredentialPlaintext } from "./credentials.js";
import { DeployResult } from "./result.js";

/** The Secret arguments `deploy` and `diff` accept (the same as the ECR functions). */
export interface DeploySecrets {
  awsAccessKeyId?: Secret;
  awsSecretAccessKey?: Secret;
  awsSessionToken?: Secret;
  awsWebIdentityToken?: Secret;
}

export interface DeployArgs {
  source: Directory;
  env: string;
  image: string;
  preview: boolean;
  runId?: string;
  /** Role a web-identity token is exchanged for before assuming the environment's role. */
  awsRoleArn?: string;
  secrets: DeploySecrets;
  /** Builds a region's clients from the environment's credentials (tests inject fakes). */
  makeClients?: (region: string, credentials: AwsCredentialIdentityProvider) => RegionClients;
}

function sdkClients(region: string, credentials: AwsCredentialIdentityProvider): RegionClients {
  return {
    cloudFormation: new CloudFormationClient({ region, credentials, maxAttempts: 5 }),
    cloudWatch: new CloudWatchClient({ region, credentials, maxAttempts: 5 }),
  };
}

/** Resolves the environment's config, template and credentials, then deploys (or previews) it. */
export async function runDeploy(args: DeployArgs): Promise<DeployResult> {
  const envName = parseEnvName(args.env);
  const pinned = PinnedImage.safeParse(args.image);
  if (!pinned.success) throw new Error(`--image "${args.image}": ${pinned.error.issues[0]?.message ?? "expected an image pinned by digest"}`);
  const config = await loadSourceConfig(args.source);
  const env = config.environments[envName];
  if (!env) throw new Error(`dpra.yaml has no environments.${envName}: add it (account, roleArn, region or waves, stackName) to deploy there.`);
  const template = await readTemplate(args.source, env);
  const plaintext = await readSecrets(args.secrets);
  const sessionName = `dpra-${envName}-${config.name ?? "app"}`.slice(0, 64);
  const clients = new Map<string, RegionClients>();
  const clientsFor = (region: string): RegionClients => {
    let c = clients.get(region);
    if (!c) {
      const credentials = environmentCredentials(plaintext, { roleArn: env.roleArn, entryRoleArn: args.awsRoleArn, sessionName, region });
      c = (args.makeClients ?? sdkClients)(region, credentials);
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
    runId: args.runId ?? contentRunId(envName, env, args.image, template),
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

function parseEnvName(env: string): AwsEnvironmentName {
  const parsed = AwsEnvironmentName.safeParse(env);
  if (!parsed.success) throw new Error(`--env "${env}": expected gamma or prod (beta runs on Dagger services, not CloudFormation).`);
  return parsed.data;
}

async function readTemplate(source: Directory, env: AwsEnvironment): Promise<string> {
  try {
    return await source.file(env.template).contents();
  } catch (err) {
    throw new Error(`cannot read the CloudFormation template ${env.template} from the source (environments.*.template): ${(err as Error).message}`, { cause: err });
  }
}

async function readSecrets(s: DeploySecrets): Promise<CredentialPlaintext> {
  return {
    accessKeyId: s.awsAccessKeyId ? await s.awsAccessKeyId.plaintext() : undefined,
    secretAccessKey: s.awsSecretAccessKey ? await s.awsSecretAccessKey.plaintext() : undefined,
    sessionToken: s.awsSessionToken ? await s.awsSessionToken.plaintext() : undefined,
    webIdentityToken: s.awsWebIdentityToken ? await s.awsWebIdentityToken.plaintext() : undefined,
  };
}
