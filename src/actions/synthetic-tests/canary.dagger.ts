import type { Directory } from "@dagger.io/dagger";
import type { SyntheticsConfig } from "../../config/sections/verification.js";
import type { AwsEnvironment } from "../../config/sections/environments.js";
import { runIdentity, type CredentialSecrets } from "../../inputs/credentials.dagger.js";
import { describeRun, type CanaryReport } from "../../aws/synthetics/canary.js";
import type { Clock } from "../../aws/synthetics/clock.js";
import { environmentCanary } from "./environment-canary.dagger.js";
import { sdkRetrying } from "../../aws/sdk.js";
import { loadSyntheticsSdk } from "../../aws/synthetics/sdk.js";

export interface CanaryCallArgs {
  endpoint: string;
  region: string;
  /** The shared credential arguments (see src/inputs/credentials.dagger.ts). */
  secrets: CredentialSecrets;
  /** When set, the canary runs in this environment's account: its roleArn is assumed. */
  environment?: { name: string; env: AwsEnvironment };
  app: string;
  executionRoleArn?: string;
  artifactS3Location?: string;
}

/** Renders a canary report for the CLI: the outcome, then each step. */
export function formatCanaryReport(r: CanaryReport): string {
  const dry = r.dryRun ? `\ndry run ${r.dryRun.id}: ${describeRun(r.dryRun.run)}` : "";
  return [`canary ${r.name} (${r.runtimeVersion}, ${r.action}): ${describeRun(r.run)}${dry}`, ...r.steps.map((s) => `- ${s}`)].join("\n");
}

/**
 * The `canary` function: deploys and runs the dpra.yaml canary against an endpoint with the caller's
 * credentials (chained into the environment's role when one is named). The credentials stay in the
 * module's memory: they are not passed to any container.
 */
export async function canaryFunction(source: Directory, config: SyntheticsConfig | undefined, args: CanaryCallArgs, clock?: Clock): Promise<string> {
  if (!config) throw new Error("dpra.yaml has no synthetics section: add `synthetics: { name: ..., script: ... }` to run a canary");
  if (!/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(args.region)) throw new Error(`--region "${args.region}" is not an AWS region name`);
  const merged: SyntheticsConfig = {
    ...config,
    executionRoleArn: args.executionRoleArn ?? config.executionRoleArn,
    artifactS3Location: args.artifactS3Location ?? config.artifactS3Location,
  };
  const { SyntheticsClient } = await loadSyntheticsSdk();
  const identity = await runIdentity(args.secrets, { app: args.app, region: args.region });
  const aws = args.environment ? identity.forRole(args.environment.name, args.environment.env.roleArn, args.region) : identity.base;
  const client = new SyntheticsClient({ region: args.region, credentials: aws.credentials, ...sdkRetrying() });
  const report = await environmentCanary(source, merged, { name: "(given endpoint)", outputs: { [config.endpointOutput]: args.endpoint } }, client, clock);
  const text = formatCanaryReport(report);
  if (!report.passed) throw new Error(text);
  return text;
}
