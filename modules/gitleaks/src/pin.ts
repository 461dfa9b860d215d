// The gitleaks pin: version and image digest, with no Dagger import, so that the recipe, the dpra
// root, the tool catalog (src/tools/catalog.ts), the installer and the tests read one source.

export const GITLEAKS_REPOSITORY = "zricethezav/gitleaks";
export const GITLEAKS_DEFAULT_VERSION = "v8.30.1";

/**
 * Image digests for known versions (the multi-arch index digest). Both are quoted, identically, by
 * several independent public repositories that pin the image; bump version and digest together.
 */
export const GITLEAKS_DIGESTS: Readonly<Record<string, string>> = {
  "v8.30.1": "sha256:c00b6bd0aeb3071cbcb79009cb16a60dd9e0a7c60e2be9ab65d25e6bc8abbb7f",
  "v8.30.0": "sha256:691af3c7c5a48b16f187ce3446d5f194838f91238f27270ed36eef6359a574d9",
};

const PINNED = /@sha256:[a-f0-9]{64}$/;

/**
 * The image reference for a version: `<repo>:<version>@<digest>`. A version already given with its
 * digest (`v8.x.y@sha256:...`) is used as is; an unknown version without a digest is refused, so that
 * nothing runs unpinned.
 */
export function gitleaksImageRef(version: string = GITLEAKS_DEFAULT_VERSION): string {
  if (PINNED.test(version)) return `${GITLEAKS_REPOSITORY}:${version}`;
  const digest = GITLEAKS_DIGESTS[version];
  if (digest === undefined) {
    throw new Error(
      `gitleaks: no digest is pinned for version "${version}" (known: ${Object.keys(GITLEAKS_DIGESTS).join(", ")}). ` +
        `Pass the version with its digest, e.g. "${version}@sha256:<64 hex digits>", or pass a container.`,
    );
  }
  return `${GITLEAKS_REPOSITORY}:${version}@${digest}`;
}
