// The trivy pin: version and image digest, with no Dagger import, so that the recipe, the dpra
// root, the tool catalog (src/tools/catalog.ts), the installer and the tests read one source.

export const TRIVY_REPOSITORY = "aquasec/trivy";
export const TRIVY_DEFAULT_VERSION = "0.75.0";

/**
 * Image digests for known versions (the multi-arch index digest), quoted identically by several
 * independent public repositories that pin the image. Bump version and digest together.
 */
export const TRIVY_DIGESTS: Readonly<Record<string, string>> = {
  "0.75.0": "sha256:af6acf9a6b85dfe389a1941505c0ce9efef52a4719635e1a962f022a3d855daa",
};

const PINNED = /@sha256:[a-f0-9]{64}$/;

/** `<repo>:<version>@<digest>`; a version given with its digest is used as is; unknown versions are refused. */
export function trivyImageRef(version: string = TRIVY_DEFAULT_VERSION): string {
  if (PINNED.test(version)) return `${TRIVY_REPOSITORY}:${version}`;
  const digest = TRIVY_DIGESTS[version];
  if (digest === undefined) {
    throw new Error(
      `trivy: no digest is pinned for version "${version}" (known: ${Object.keys(TRIVY_DIGESTS).join(", ")}). ` +
        `Pass the version with its digest, e.g. "${version}@sha256:<64 hex digits>", or pass a container.`,
    );
  }
  return `${TRIVY_REPOSITORY}:${version}@${digest}`;
}
