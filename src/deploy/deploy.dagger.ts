// The Dagger side of deploy and diff: the source is a Directory and the credentials are Secrets;
// everything else is the Dagger-free core (src/deploy/core.ts) that `dpra deploy` shares.
import type { Directory } from "@dagger.io/dagger";
import type { ProdApprovalInput } from "../actions/approval/require.js";
import type { CredentialProvider } from "../aws/credentials/providers.js";
import type { RegionClients } from "../actions/progressive-deployment/cfn-region.js";
import type { AwsEnvironment } from "../config/sections/environments.js";
import { runIdentity, type CredentialSecrets } from "../inputs/credentials.dagger.js";
import { loadSourceConfig } from "../inputs/source.dagger.js";
import { deployCore, deploymentFacts, deploymentFailed, deploymentSummary, readTemplate as readTemplateWith } from "./core.js";
import { DeployResult } from "./result.dagger.js";

export { awsEnvironmentOf, sdkClientFactory } from "./core.js";

export interface DeployArgs {
  source: Directory;
  env: string;
  image: string;
  preview: boolean;
  runId?: string;
  /** Prod approval (--ci-vars, --ci-environment, --approved-by): checked before any change set. */
  approval?: ProdApprovalInput;
  /** The shared credential arguments (see src/inputs/credentials.dagger.ts). */
  secrets: CredentialSecrets;
  /** Builds a region's clients from the environment's credentials (tests inject fakes). */
  makeClients?: (region: string, credentials: CredentialProvider) => RegionClients;
}

/** Resolves the environment's config, template and credentials, then deploys (or previews) it. */
export async function runDeploy(args: DeployArgs): Promise<DeployResult> {
  const config = await loadSourceConfig(args.source);
  const lines: string[] = [];
  const deployment = await deployCore({
    config,
    readSourceFile: (p) => args.source.file(p).contents(),
    env: args.env,
    image: args.image,
    preview: args.preview,
    ...(args.runId ? { runId: args.runId } : {}),
    ...(args.approval ? { approval: args.approval } : {}),
    identity: (o) => runIdentity(args.secrets, o),
    ...(args.makeClients ? { makeClients: args.makeClients } : {}),
    log: (line) => {
      lines.push(line);
      console.log(line);
    },
  });
  // Fail the call so that CI fails; the summary carries the root cause and what was rolled back.
  if (deploymentFailed(deployment)) throw new Error(deploymentSummary(deploymentFacts(deployment)));
  return new DeployResult(deployment, lines);
}

/** The environment's template from a Dagger source directory. */
export function readTemplate(source: Directory, env: AwsEnvironment): Promise<string> {
  return readTemplateWith((p) => source.file(p).contents(), env);
}
