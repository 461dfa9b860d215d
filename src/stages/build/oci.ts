// OCI image labels and annotations (https://github.com/opencontainers/image-spec/blob/main/annotations.md)
// that tie the packaged image to the source it was built from.

export interface ImageMetadata {
  /** URL of the source repository. */
  source?: string;
  /** Source control revision (commit) the image was built from. */
  revision?: string;
  /** The source's commit time, RFC 3339 (not the build time, so a rebuild keeps the digest). */
  created: string;
  /** The same time in seconds since the epoch, handed to the image build as SOURCE_DATE_EPOCH. */
  sourceDateEpoch?: number;
  /** Version of the packaged software. */
  version?: string;
  /** Human-readable title, e.g. the application name. */
  title?: string;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The `org.opencontainers.image.*` keys for the metadata; rejects values that would mislabel the image. */
export function ociLabels(meta: ImageMetadata): Array<[string, string]> {
  if (!RFC3339.test(meta.created)) {
    throw new Error(`image metadata: created "${meta.created}" is not an RFC 3339 time such as 2026-01-31T12:00:00Z`);
  }
  if (meta.revision !== undefined && meta.revision !== "" && !/^[0-9a-f]{7,64}$/i.test(meta.revision)) {
    throw new Error(`image metadata: revision "${meta.revision}" is not a commit hash (7 to 64 hex digits)`);
  }
  const labels: Array<[string, string]> = [["org.opencontainers.image.created", meta.created]];
  const optional: Array<[string, string | undefined]> = [
    ["org.opencontainers.image.source", meta.source],
    ["org.opencontainers.image.revision", meta.revision],
    ["org.opencontainers.image.version", meta.version],
    ["org.opencontainers.image.title", meta.title],
  ];
  for (const [key, value] of optional) if (value) labels.push([key, value]);
  return labels;
}
