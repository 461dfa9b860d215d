/**
 * The AWS SDK packages, loaded on first use instead of at import: the Dagger runtime imports every
 * file under src/ on each call, and each SDK client package takes a few tenths of a second to load.
 * Code that only needs types uses `import type`.
 */
export type CloudFormationSdk = typeof import("@aws-sdk/client-cloudformation");
export type CloudWatchSdk = typeof import("@aws-sdk/client-cloudwatch");
export type CredentialProvidersSdk = typeof import("@aws-sdk/credential-providers");

let cloudFormation: Promise<CloudFormationSdk> | undefined;
let cloudWatch: Promise<CloudWatchSdk> | undefined;
let credentialProviders: Promise<CredentialProvidersSdk> | undefined;

export function cloudFormationSdk(): Promise<CloudFormationSdk> {
  cloudFormation ??= import("@aws-sdk/client-cloudformation");
  return cloudFormation;
}

export function cloudWatchSdk(): Promise<CloudWatchSdk> {
  cloudWatch ??= import("@aws-sdk/client-cloudwatch");
  return cloudWatch;
}

export function credentialProvidersSdk(): Promise<CredentialProvidersSdk> {
  credentialProviders ??= import("@aws-sdk/credential-providers");
  return credentialProviders;
}

export type EcrSdk = typeof import("@aws-sdk/client-ecr");
let ecr: Promise<EcrSdk> | undefined;

export function ecrSdk(): Promise<EcrSdk> {
  ecr ??= import("@aws-sdk/client-ecr");
  return ecr;
}

export type EcsSdk = typeof import("@aws-sdk/client-ecs");
let ecs: Promise<EcsSdk> | undefined;

export function ecsSdk(): Promise<EcsSdk> {
  ecs ??= import("@aws-sdk/client-ecs");
  return ecs;
}

/**
 * The one retry layer of each AWS call (docs/aws-retries.md). CloudFormation, CloudWatch,
 * Synthetics and FIS clients retry in the SDK (standard mode: exponential backoff with jitter,
 * a retry quota per client); the project's loops around those calls do not retry them again.
 */
export const SDK_MAX_ATTEMPTS = 5;

/** Client options for a client whose calls the SDK retries (standard mode, SDK_MAX_ATTEMPTS in all). */
export function sdkRetrying(): { maxAttempts: number; retryMode: "standard" } {
  return { maxAttempts: SDK_MAX_ATTEMPTS, retryMode: "standard" };
}

/**
 * Client options for a client whose calls `callAws` (src/aws/retry.ts) retries: ECR and ECS.
 * The SDK makes one attempt per send, so a throttled call is tried `RETRY_MAX_ATTEMPTS` times in all.
 */
export function sdkSingleAttempt(): { maxAttempts: 1 } {
  return { maxAttempts: 1 };
}
