/**
 * The Synthetics SDK is loaded on first use, not at import: the Dagger runtime imports every file
 * under src/ on each call, and the SDK takes about 0.3 s to load.
 */
export type SyntheticsSdk = typeof import("@aws-sdk/client-synthetics");

let sdk: Promise<SyntheticsSdk> | undefined;

export function loadSyntheticsSdk(): Promise<SyntheticsSdk> {
  sdk ??= import("@aws-sdk/client-synthetics");
  return sdk;
}
