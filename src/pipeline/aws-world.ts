// The AWS clients a release uses, built from the run's credentials: the contract between the
// release (which builds the real ones, src/release/sdk-world.dagger.ts) and the stages. Tests inject
// clients mocked with aws-sdk-client-mock.
import type { ECSClient } from "@aws-sdk/client-ecs";
import type { FisClient } from "@aws-sdk/client-fis";
import type { SyntheticsClient } from "@aws-sdk/client-synthetics";
import type { RegionClients } from "../actions/progressive-deployment/cfn-region.js";
import type { CredentialProvider } from "../aws/credentials/providers.js";
import type { Registry } from "../aws/ecr/client.js";
import type { VerdictStore } from "./promotion.js";

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
