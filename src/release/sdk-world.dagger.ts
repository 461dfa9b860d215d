// The real AWS world of a release (src/pipeline/aws-world.ts): SDK v3 clients built from the run's
// credentials. Synthetics, FIS and ECS load lazily.
import type { AwsWorld } from "../pipeline/aws-world.js";
import { ecsSdk, sdkRetrying, sdkSingleAttempt } from "../aws/sdk.js";
import { loadSyntheticsSdk } from "../aws/synthetics/sdk.js";
import { sdkClientFactory } from "../deploy/deploy.dagger.js";
import { orasVerdictStore } from "../stages/gamma/verdict-store.dagger.js";

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
