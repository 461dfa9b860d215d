// Reading OCI referrers back with ORAS: `oras discover` lists the referrers of a digest through the
// OCI referrers API (GET /v2/<name>/referrers/<digest>), `oras pull` fetches one referrer's files.
// Pure: argv builders and parsers of ORAS's JSON output, shared by publish's check that an attached
// referrer is really listed and by the readers of referrers dpra attaches itself. No Dagger types.
import { z } from "zod";
import { DIGEST } from "../digest.js";
import { referrerSubject } from "./referrer-subject.js";
import { errorMessage } from "../errors.js";

/** The files ORAS reads besides its arguments: the registry login (a Docker config.json). */
export interface OrasReadPaths {
  registryConfig: string;
}

/**
 * `oras discover` of one digest's direct referrers of one artifact type, as JSON. The referrers API is
 * forced, as for the attach: a registry without it fails here ("failed to query referrers API:
 * unsupported", exit 1), so a referrer that was pushed but cannot be found is not reported attached.
 */
export function orasDiscoverArgs(subject: string, artifactType: string, paths: OrasReadPaths): string[] {
  const { name, digest } = referrerSubject(subject);
  return [
    "oras",
    "discover",
    "--registry-config",
    paths.registryConfig,
    "--distribution-spec",
    "v1.1-referrers-api",
    "--artifact-type",
    artifactType,
    "--format",
    "json",
    "--depth",
    "1",
    `${name}@${digest}`,
  ];
}

/** `oras pull` of one referrer (by digest) into `outputDir`, reporting the files it wrote as JSON. */
export function orasPullArgs(reference: string, outputDir: string, paths: OrasReadPaths): string[] {
  const { name, digest } = referrerSubject(reference);
  return ["oras", "pull", "--registry-config", paths.registryConfig, "--output", outputDir, "--format", "json", "--no-tty", `${name}@${digest}`];
}

const discoveredSchema = z.object({
  digest: z.string().regex(DIGEST),
  referrers: z
    .array(
      z.object({
        digest: z.string().regex(DIGEST),
        artifactType: z.string().optional(),
        mediaType: z.string(),
        annotations: z.record(z.string(), z.string()).optional(),
      }),
    )
    .nullish(),
});

export interface DiscoveredReferrer {
  digest: string;
  artifactType: string | undefined;
  mediaType: string;
  annotations: Record<string, string>;
}

/**
 * Reads `oras discover --format json`: the subject's digest must be the one asked for, and each
 * referrer is returned with its digest, artifact type and annotations. A malformed answer throws
 * with what was expected; `source` names where it came from.
 */
export function parseDiscoveredReferrers(json: string, expectedSubjectDigest: string, source: string): DiscoveredReferrer[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new Error(`${source}: oras discover did not print JSON (${errorMessage(err)}); expected the output of --format json.`, { cause: err });
  }
  const parsed = discoveredSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: oras discover JSON, field "${issue?.path.join(".") || "(root)"}": ${issue?.message ?? "unexpected shape"}.`);
  }
  if (parsed.data.digest !== expectedSubjectDigest) {
    throw new Error(`${source}: oras discover listed referrers of ${parsed.data.digest}, not of ${expectedSubjectDigest}.`);
  }
  return (parsed.data.referrers ?? []).map((r) => ({ digest: r.digest, artifactType: r.artifactType, mediaType: r.mediaType, annotations: r.annotations ?? {} }));
}

const pulledSchema = z.object({
  files: z.array(z.object({ path: z.string().min(1), digest: z.string().regex(DIGEST), mediaType: z.string() })),
});

export interface PulledFile {
  path: string;
  digest: string;
  mediaType: string;
}

/** Reads `oras pull --format json`: the files ORAS wrote, with their layer digests and media types. */
export function parsePulledFiles(json: string, source: string): PulledFile[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new Error(`${source}: oras pull did not print JSON (${errorMessage(err)}); expected the output of --format json.`, { cause: err });
  }
  const parsed = pulledSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: oras pull JSON, field "${issue?.path.join(".") || "(root)"}": ${issue?.message ?? "unexpected shape"}.`);
  }
  return parsed.data.files;
}
