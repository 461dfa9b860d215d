// The root module's AWS functions (src/index.ts) mapped onto the areas that do the work: each
// function's flags become that area's options, with the credentials `withAws` stored once. A flag
// left empty ("" or absent) is left out, as the areas read an absent option as "not given".
import type { Container, Directory, File } from "@dagger.io/dagger";
import type { ProdApprovalInput } from "../actions/approval/require.js";
import { canaryFunction } from "../actions/synthetic-tests/canary.dagger.js";
import type { DeployResult } from "../deploy/result.dagger.js";
import { awsEnvironmentOf, runDeploy } from "../deploy/deploy.dagger.js";
import type { CredentialSecrets } from "../inputs/credentials.dagger.js";
import type { PublishResult } from "../publish/result.dagger.js";
import { promoteShell, publishShell } from "../publish/publish.dagger.js";
import { loadSourceConfig } from "../inputs/source.dagger.js";

/** The prod approval flags of deploy and release (--ci-environment, --ci-vars, --approved-by). */
export interface ApprovalFlags {
  ciEnvironment?: string | undefined;
  ciVars?: string | undefined;
  approvedBy?: string | undefined;
}

/** The approval input with only the flags that were given. */
export function approvalOf(flags: ApprovalFlags): ProdApprovalInput {
  return {
    ...(flags.ciEnvironment ? { ciEnvironment: flags.ciEnvironment } : {}),
    ...(flags.ciVars ? { ciVars: flags.ciVars } : {}),
    ...(flags.approvedBy ? { approvedBy: flags.approvedBy } : {}),
  };
}

export interface DeployFlags extends ApprovalFlags {
  env: string;
  image: string;
  preview: boolean;
  runId?: string | undefined;
}

/** `deploy`: one change set per region, waves in order, alarms watched. */
export function deployFunction(source: Directory, secrets: CredentialSecrets, flags: DeployFlags): Promise<DeployResult> {
  const { env, image, preview, runId } = flags;
  return runDeploy({ source, env, image, preview, runId, secrets, approval: approvalOf(flags) });
}

/** `diff`: a deploy preview, returned as the change-set diff of every region. */
export async function diffFunction(source: Directory, secrets: CredentialSecrets, flags: { env: string; image: string; runId?: string | undefined }): Promise<string> {
  const result = await runDeploy({ source, env: flags.env, image: flags.image, preview: true, runId: flags.runId, secrets });
  return result.diff();
}

export interface CanaryFlags {
  endpoint: string;
  region: string;
  executionRoleArn?: string | undefined;
  artifactS3Location?: string | undefined;
  /** Environment whose account the canary runs in (its roleArn is assumed). */
  env?: string | undefined;
}

/** `canary`: the dpra.yaml synthetics section run against an endpoint. */
export async function canaryCall(source: Directory, secrets: CredentialSecrets, flags: CanaryFlags): Promise<string> {
  const config = await loadSourceConfig(source);
  return canaryFunction(source, config.synthetics, {
    endpoint: flags.endpoint,
    region: flags.region,
    secrets,
    app: config.name ?? "app",
    ...(flags.env !== undefined ? { environment: awsEnvironmentOf(config, flags.env) } : {}),
    executionRoleArn: flags.executionRoleArn,
    artifactS3Location: flags.artifactS3Location,
  });
}

export interface PublishFlags {
  image: Container;
  gitRevision: string;
  releaseTag?: string | undefined;
  runId?: string | undefined;
  sbom?: File | undefined;
  waitForScan: boolean;
  attachReferrers: boolean;
  enforceGate: boolean;
}

/** `publish`: the image pushed to ECR once, its scan through the policy gate. */
export function publishCall(source: Directory, secrets: CredentialSecrets, flags: PublishFlags): Promise<PublishResult> {
  const { image, gitRevision, waitForScan, attachReferrers, enforceGate, releaseTag, runId, sbom } = flags;
  return publishShell({
    image,
    gitRevision,
    source,
    waitForScan,
    attachReferrers,
    enforceGate,
    secrets,
    ...(releaseTag ? { releaseTag } : {}),
    ...(runId ? { runId } : {}),
    ...(sbom ? { sbom } : {}),
  });
}

/** `promote`: a published digest copied to (or checked for) an environment. */
export function promoteCall(
  source: Directory,
  secrets: CredentialSecrets,
  flags: { reference: string; env: string; tag?: string | undefined; runId?: string | undefined },
): Promise<string> {
  const { reference, env, tag, runId } = flags;
  if (env !== "gamma" && env !== "prod") throw new Error(`promote: --env must be gamma or prod, got "${env}".`);
  return promoteShell({ reference, env, source, secrets, ...(tag ? { tag } : {}), ...(runId ? { runId } : {}) });
}
