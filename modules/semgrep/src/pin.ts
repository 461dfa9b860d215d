// The semgrep pin: version and image digest, with no Dagger import, so that the recipe, the dpra
// root, the tool catalog (src/tools/catalog.ts), the installer and the tests read one source.

export const SEMGREP_REPOSITORY = "semgrep/semgrep";
export const SEMGREP_DEFAULT_VERSION = "1.178.0";

/**
 * Image digests for known versions (the multi-arch index digest), quoted identically by several
 * independent public repositories that pin the image. Bump version and digest together.
 */
export const SEMGREP_DIGESTS: Readonly<Record<string, string>> = {
  "1.178.0": "sha256:32e459968daabe7ab86968184a29109b9564aa00392401156f9788452b42786b",
};

const PINNED = /@sha256:[a-f0-9]{64}$/;

/** `<repo>:<version>@<digest>`; a version given with its digest is used as is; unknown versions are refused. */
export function semgrepImageRef(version: string = SEMGREP_DEFAULT_VERSION): string {
  if (PINNED.test(version)) return `${SEMGREP_REPOSITORY}:${version}`;
  const digest = SEMGREP_DIGESTS[version];
  if (digest === undefined) {
    throw new Error(
      `semgrep: no digest is pinned for version "${version}" (known: ${Object.keys(SEMGREP_DIGESTS).join(", ")}). ` +
        `Pass the version with its digest, e.g. "${version}@sha256:<64 hex digits>", or pass a container.`,
    );
  }
  return `${SEMGREP_REPOSITORY}:${version}@${digest}`;
}
