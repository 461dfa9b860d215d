// The AWS clients a release uses, built from the run's credentials. Production builds real SDK v3
// clients; tests inject clients mocked with aws-sdk-client-mock. Synthetics, FIS and ECS load lazily.
import type { ECSClient } from "@aws-sdk/client-ecs";
import type { FisClient } from "@aws-sdk/client-fis";
import type { SyntheticsClient } from "@aws-sdk/client-synthetics";
import type { CredentialProvider } from "../aws/credentials/providers.js";
import type { Registry } from "../aws/ecr/client.js";
import type { RegionClients } from "../actions/progressive-deployment/cfn-region.js";
import { ecsSdk, sdkRetrying, sdkSingleAttempt } from "../aws/sdk.js";
import { loadSyntheticsSdk } from "../aws/synthetics/sdk.js";
import { sdkClientFactory } from "../deploy/shell.js";
import { orasVerdictStore, type VerdictStore } from "./gamma-verdict.js";

export interface AwsWorld {
  /** Loads what the synchronous `regionClients` needs (the SDK packages load on first use). */
  ready(): Promise<void>;
  /** CloudFormation and CloudWatch of one region. */
  regionClients(env: string, region: string, credentials: CredentialProvider): RegionClients;
  synthetics(env: string, region: string, credentials: CredentialProvider): Promise<SyntheticsClient>;
  fis(env: string, region: string, credentials: CredentialProvider): Promise<FisClient>;
  /** ECS of one region: the DB deploy's migration task. */
  ecs(env: string, region: string, credentials: CredentialProvider): Promise<ECSClient>;
  /** Gamma verdicts attached to image digests in `registry` (ECR referrers through ORAS). */
  verdicts(registry: Registry, runId: string): VerdictStore;
}

let factory: Awaited<ReturnType<typeof sdkClientFactory>> | undefined;

export const sdkWorld: AwsWorld = {
  ready: async () => {
    factory ??= await sdkClientFactory();
  },
  regionClients: (_env, region, credentials) => {
    if (!factory) throw new Error("sdkWorld.ready() must be awaited before regionClients()");
    return factory(region, credentials);
  },
  synthetics: async (_env, region, credentials) => {
    const { SyntheticsClient } = await loadSyntheticsSdk();
    return new SyntheticsClient({ region, credentials, ...sdkRetrying() });
  },
  fis: async (_env, region, credentials) => {
    const { FisClient } = await import("@aws-sdk/client-fis");
    return new FisClient({ region, credentials, ...sdkRetrying() });
  },
  ecs: async (_env, region, credentials) => {
    const { ECSClient } = await ecsSdk();
    // One attempt per send: callAws in the migration task code is the retry layer (docs/aws-retries.md).
    return new ECSClient({ region, credentials, ...sdkSingleAttempt() });
  },
  verdicts: orasVerdictStore,
};
