import type { ECRClient } from "@aws-sdk/client-ecr";
import type { AwsIdentity } from "../credentials/providers.js";
import { ecrSdk, sdkSingleAttempt } from "../sdk.js";
import { AwsActionError, awsErrorCode, callAws, type RetryOptions } from "../retry.js";

/** What the ECR code uses of a client: `send`. */
export type EcrSender = Pick<ECRClient, "send">;

/** One registry (account + region) reached with one identity. Every call goes through `call`. */
export interface Registry {
  readonly client: EcrSender;
  /** The SDK client behind `client`, made on first use (one per registry). */
  readonly sdkClient: () => Promise<ECRClient>;
  readonly accountId: string;
  readonly region: string;
  readonly identity: AwsIdentity;
  readonly retry: RetryOptions;
}

/** Retries are done by `callAws` (one observable policy), so the SDK's own retry is off (docs/aws-retries.md). */
export function ecrRegistry(identity: AwsIdentity, accountId: string, region: string, retry: RetryOptions = {}): Registry {
  // The client (and the SDK package) is made on the first call, not when the registry is described.
  let real: Promise<ECRClient> | undefined;
  const sdkClient = () => (real ??= ecrSdk().then((sdk) => new sdk.ECRClient({ region, credentials: identity.credentials, ...sdkSingleAttempt() })));
  const client = {
    send: (async (command: Parameters<ECRClient["send"]>[0], options?: Parameters<ECRClient["send"]>[1]) =>
      (await sdkClient()).send(command, options as never)) as EcrSender["send"],
  };
  return { client, sdkClient, accountId, region, identity, retry };
}

/** Calls ECR as this registry's identity: retried when throttled, explained (role + action) when it fails. */
export function ecrCall<T>(registry: Registry, action: string, resource: string | undefined, call: () => Promise<T>): Promise<T> {
  return callAws({ role: registry.identity.principal, action: `ecr:${action}`, ...(resource ? { resource } : {}) }, call, registry.retry);
}

/** `123456789012.dkr.ecr.eu-west-1.amazonaws.com` (other partitions: see `registryHost`). */
export function registryHost(accountId: string, region: string): string {
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return `${accountId}.dkr.ecr.${region}.${suffix}`;
}

/** The account and region of an ECR registry host (`registryHost`'s inverse); undefined for any other host. */
export function ecrHostParts(host: string): { accountId: string; region: string } | undefined {
  const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(host);
  return match ? { accountId: match[1]!, region: match[2]! } : undefined;
}

export function repositoryUri(accountId: string, region: string, repository: string): string {
  return `${registryHost(accountId, region)}/${repository}`;
}

/** Runs `call`; a `notFoundCode` error (the AWS way of saying "none") becomes undefined. */
export async function optional<T>(notFoundCode: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (codeOf(err) === notFoundCode) return undefined;
    throw err;
  }
}

/** The AWS code of an error, looking through the explanation wrapper. */
export function codeOf(err: unknown): string {
  return err instanceof AwsActionError ? err.code : awsErrorCode(err);
}
