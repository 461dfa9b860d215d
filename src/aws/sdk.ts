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
