// An image digest as dpra pins, verifies and promotes it: `sha256:` and 64 lowercase hex digits,
// the form registries return. One pattern, so the checks of a digest and of a pinned reference agree.

/** The digest pattern as regex source, for patterns that embed it (e.g. `<name>@<digest>`). */
export const DIGEST_PATTERN = "sha256:[a-f0-9]{64}";

/** A whole digest: `sha256:<64 hex digits>`. */
export const DIGEST = new RegExp(`^${DIGEST_PATTERN}$`);

const TRAILING_DIGEST = new RegExp(`@(${DIGEST_PATTERN})$`);

/** The digest a reference ends in (`host/repository[:tag]@sha256:...`); undefined when it is not pinned by digest. */
export function trailingDigest(reference: string): string | undefined {
  return TRAILING_DIGEST.exec(reference)?.[1];
}

/** An image is not at the digest it must be: a copy stored another one, or a stack runs another one. */
export class DigestMismatchError extends Error {
  override name = "DigestMismatchError";
}
