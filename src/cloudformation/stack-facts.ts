// Facts read from a deployed stack: the endpoint under test and the image digest it runs.
import { DIGEST, DigestMismatchError, trailingDigest } from "../digest.js";

/** The endpoint from a stack output; the error lists the outputs that exist. */
export function endpointFromOutputs(outputs: Record<string, string>, key: string, stack: string): string {
  const value = outputs[key];
  if (value === undefined || value.trim() === "") {
    const keys = Object.keys(outputs);
    throw new Error(
      `stack ${stack} has no output "${key}" for the endpoint under test (outputs: ${keys.length ? keys.join(", ") : "none"}); ` +
        "add it to the template's Outputs or set endpointOutput in dpra.yaml",
    );
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch (e) {
    throw new Error(`stack ${stack} output "${key}" is "${value}", not a URL`, { cause: e });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`stack ${stack} output "${key}" must be an http(s) URL, found ${url.protocol}`);
  return value.trim().replace(/\/$/, "");
}

/**
 * Checks that the deployed stack runs the promoted digest: its image parameter (`ImageUri` by default)
 * must end in `@<digest>`. A tag, another digest or a missing parameter stops the release.
 */
export function verifyDeployedDigest(parameters: Record<string, string>, expectedDigest: string, where: { stack: string; region: string }, parameter = "ImageUri"): string {
  if (!DIGEST.test(expectedDigest)) throw new Error(`the digest to promote "${expectedDigest}" is not sha256:<64 hex digits>`);
  const uri = parameters[parameter];
  const at = `stack ${where.stack} in ${where.region}`;
  if (uri === undefined) {
    throw new DigestMismatchError(`${at} has no ${parameter} parameter, so the deployed image cannot be verified; stopping the release`);
  }
  const deployed = trailingDigest(uri);
  if (!deployed) {
    throw new DigestMismatchError(`${at} runs ${parameter}=${uri}, which is not pinned by digest; expected @${expectedDigest}. Stopping the release`);
  }
  if (deployed !== expectedDigest) {
    throw new DigestMismatchError(`${at} runs ${deployed}, but the release promotes ${expectedDigest} (the digest Gamma deployed); stopping the release`);
  }
  return uri;
}
