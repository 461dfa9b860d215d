// The root module's config, plan, capacity and release functions (src/index.ts) mapped onto the
// areas that do the work: each function's flags become that area's options.
import type { Directory, File } from "@dagger.io/dagger";
import { capacityTestFunction, type CapacityTestResult } from "../actions/capacity-tests/capacity-test.dagger.js";
import { assertContract } from "../config/contract-check.js";
import { AWS_CONTRACT_ENVIRONMENTS } from "../config/contract.js";
import { buildRunPlan, parseTargetEnvironment } from "../pipeline/plan.js";
import { parsePlanFormat, renderPlan } from "../pipeline/render.js";
import type { CredentialSecrets } from "../inputs/credentials.dagger.js";
import { realBuild } from "../stages/build/provider.dagger.js";
import { release } from "../release/release.dagger.js";
import type { ReleaseResult } from "../release/result.dagger.js";
import { directoryContractSource, loadSourceConfig } from "../inputs/source.dagger.js";
import { approvalOf, type ApprovalFlags } from "./aws.dagger.js";

/** `config`: the resolved dpra.yaml as JSON, after the config↔template contract check. */
export async function configJson(source: Directory): Promise<string> {
  const config = await loadSourceConfig(source);
  await assertContract(config, AWS_CONTRACT_ENVIRONMENTS, directoryContractSource(source));
  return JSON.stringify(config, null, 2);
}

/** `plan`: the run plan of the application, in the chosen format. */
export async function planText(source: Directory, env: string, format: string): Promise<string> {
  return renderPlan(buildRunPlan(await loadSourceConfig(source), parseTargetEnvironment(env)), parsePlanFormat(format));
}

/** `capacityTest`: the dpra.yaml capacity section run against an endpoint. */
export async function capacityTestCall(source: Directory, endpoint: string, baseline: File | undefined, failOnRegression: boolean): Promise<CapacityTestResult> {
  const config = await loadSourceConfig(source);
  return capacityTestFunction(source, config.capacity, endpoint, baseline, failOnRegression);
}

export interface ReleaseFlags extends ApprovalFlags {
  env: string;
  revision: string;
  sourceUrl: string;
  failOnError: boolean;
  digest?: string | undefined;
  publish: boolean;
  releaseTag?: string | undefined;
  runId?: string | undefined;
  sourceDateEpoch: number;
}

/** `release`: the build, then every stage up to the target environment, one digest throughout. */
export function releaseCall(source: Directory, secrets: CredentialSecrets, flags: ReleaseFlags): Promise<ReleaseResult> {
  const { revision, sourceUrl, sourceDateEpoch, digest, releaseTag, runId } = flags;
  return release({
    source,
    env: parseTargetEnvironment(flags.env),
    build: realBuild({ revision, sourceUrl, sourceDateEpoch }),
    failOnError: flags.failOnError,
    publish: flags.publish,
    revision,
    aws: { secrets },
    approval: approvalOf(flags),
    ...(digest ? { digest } : {}),
    ...(releaseTag ? { releaseTag } : {}),
    ...(runId ? { runId } : {}),
  });
}
