// The SBOM and the provenance statement attached to the pushed image as OCI referrers (artifacts
// whose manifest names the image digest as its `subject`), pushed with ORAS in a pinned container.
// The pure part builds the ORAS arguments, the registry config and reads the outcome; the Dagger
// part runs one `oras attach` per artifact.
import { createHash } from "node:crypto";
import { dag, ReturnType, type Container, type File, type Secret } from "@dagger.io/dagger";
import type { Registry } from "../aws/ecr/client.js";
import { registryLogin } from "../aws/ecr/images.js";
import { TOOLS } from "../tools/catalog.js";
import { lastLinesInline } from "../tools/output.js";
import { referrerSubject } from "./referrer-subject.js";
import { orasDiscoverArgs, parseDiscoveredReferrers } from "./referrers-read.js";
import { errorMessage } from "../errors.js";

export { referrerSubject };

/** ORAS, pinned by version and digest in the tool catalog. */
export const ORAS_IMAGE: string = TOOLS.oras.image;

export const SBOM_ARTIFACT_TYPE = "application/vnd.cyclonedx+json";
export const PROVENANCE_ARTIFACT_TYPE = "application/vnd.in-toto+json";

/** Where the registry config (a Docker config.json holding the ECR login) is mounted as a secret. */
export const REGISTRY_CONFIG_PATH = "/run/dpra/oras/config.json";
const WORKDIR = "/work";

/** The files `oras attach` reads and writes besides the attached file (relative to its working folder). */
export interface OrasAttachPaths {
  /** The registry config: a Docker config.json with the login (`--registry-config`). */
  registryConfig: string;
  /** Where ORAS writes the referrer manifest it pushed (`--export-manifest`). */
  exportedManifest: string;
}

/** The paths inside the ORAS container the recipe runs. */
export const ORAS_CONTAINER_PATHS: OrasAttachPaths = { registryConfig: REGISTRY_CONFIG_PATH, exportedManifest: "/tmp/dpra-referrer-manifest.json" };

/** One file to attach: its name inside the ORAS container and its OCI artifact type. */
export interface ReferrerArtifact {
  fileName: string;
  artifactType: string;
}

/** What one ORAS command left: its exit code and output. */
export interface OrasRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type ReferrerOutcome =
  | { artifactType: string; file: string; status: "attached"; digest: string; reference: string }
  | { artifactType: string; file: string; status: "failed"; error: string }
  | { artifactType: string; file: string; status: "skipped"; reason: string };

export interface ReferrersReport {
  subject: string;
  outcomes: ReferrerOutcome[];
}

/**
 * `oras attach` for one file. `--distribution-spec v1.1-referrers-api` forces the OCI referrers API:
 * the fallback (referrers tag schema) would write and later move a `sha256-<digest>` tag, which an
 * ECR repository with immutable tags refuses and which dpra never does (tags are not moved).
 * The attached file is named relative to the working folder; `paths` places the registry config
 * and the exported manifest (the recipe passes ORAS_CONTAINER_PATHS).
 */
export function orasAttachArgs(subject: string, artifact: ReferrerArtifact, paths: OrasAttachPaths): string[] {
  const { name, digest } = referrerSubject(subject);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(artifact.fileName)) throw new Error(`referrer file name "${artifact.fileName}" must be a plain file name.`);
  return [
    "oras",
    "attach",
    "--registry-config",
    paths.registryConfig,
    "--distribution-spec",
    "v1.1-referrers-api",
    "--artifact-type",
    artifact.artifactType,
    "--export-manifest",
    paths.exportedManifest,
    `${name}@${digest}`,
    `${artifact.fileName}:${artifact.artifactType}`,
  ];
}

/** A Docker config.json with one registry login, as ORAS reads it (`auths.<host>.auth` = base64 user:password). */
export function registryConfigJson(host: string, username: string, password: string): string {
  if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(host)) throw new Error(`registry host "${host}" is not a host name.`);
  return JSON.stringify({ auths: { [host]: { auth: Buffer.from(`${username}:${password}`).toString("base64") } } });
}

/**
 * Reads what `oras attach` left behind: the exit code, and the pushed manifest it exported. The
 * referrer's digest is the SHA-256 of that manifest; the manifest must name the image as subject
 * and carry the artifact type, or the attach is reported as failed. Then the registry must list it
 * through the referrers API (`discover`, the output of `orasDiscoverArgs`): a registry without that
 * API accepts the manifest and answers success, but nobody could find the referrer, so that is a
 * failure too, not an attach.
 */
export function attachOutcome(subject: string, artifact: ReferrerArtifact, run: { exitCode: number; stderr: string; manifest?: string; discover?: OrasRun }): ReferrerOutcome {
  const { name, digest } = referrerSubject(subject);
  const base = { artifactType: artifact.artifactType, file: artifact.fileName };
  if (run.exitCode !== 0) {
    return { ...base, status: "failed", error: `oras attach exited ${run.exitCode}: ${lastLinesInline(run.stderr) || "no error output"}` };
  }
  if (!run.manifest) return { ...base, status: "failed", error: "oras attach succeeded but exported no manifest." };
  let manifest: { subject?: { digest?: unknown }; artifactType?: unknown };
  try {
    manifest = JSON.parse(run.manifest) as typeof manifest;
  } catch (err) {
    return { ...base, status: "failed", error: `the exported referrer manifest is not JSON (${errorMessage(err)}).` };
  }
  if (manifest.subject?.digest !== digest) {
    return { ...base, status: "failed", error: `the pushed referrer names subject ${String(manifest.subject?.digest)}, not ${digest}.` };
  }
  if (manifest.artifactType !== artifact.artifactType) {
    return { ...base, status: "failed", error: `the pushed referrer has artifact type ${String(manifest.artifactType)}, not ${artifact.artifactType}.` };
  }
  const referrer = `sha256:${createHash("sha256").update(run.manifest, "utf8").digest("hex")}`;
  const pushed = `pushed as ${referrer}, but`;
  if (!run.discover) return { ...base, status: "failed", error: `${pushed} the registry's referrers list was not read.` };
  if (run.discover.exitCode !== 0) {
    return {
      ...base,
      status: "failed",
      error: `${pushed} the registry does not list it through the OCI referrers API (oras discover exited ${run.discover.exitCode}: ${lastLinesInline(run.discover.stderr) || "no error output"}).`,
    };
  }
  let listed: string[];
  try {
    listed = parseDiscoveredReferrers(run.discover.stdout, digest, "oras discover").map((r) => r.digest);
  } catch (err) {
    return { ...base, status: "failed", error: `${pushed} ${errorMessage(err)}` };
  }
  if (!listed.includes(referrer)) {
    return {
      ...base,
      status: "failed",
      error: `${pushed} the registry's referrers of ${digest} with artifact type ${artifact.artifactType} do not include it (listed: ${listed.join(", ") || "none"}).`,
    };
  }
  return { ...base, status: "attached", digest: referrer, reference: `${name}@${referrer}` };
}

/**
 * Runs `oras attach` for one file in the ORAS container (`orasContainer`), then `oras discover` to
 * see the registry list it; a failed exec is an outcome, not a throw. Publish attaches the SBOM and
 * provenance with it, Gamma its verdict.
 */
export async function attachReferrer(base: Container, subject: string, artifact: ReferrerArtifact, file: File): Promise<ReferrerOutcome> {
  try {
    const ran = base.withMountedFile(`${WORKDIR}/${artifact.fileName}`, file).withExec(orasAttachArgs(subject, artifact, ORAS_CONTAINER_PATHS), { expect: ReturnType.Any });
    const exitCode = await ran.exitCode();
    if (exitCode !== 0) return attachOutcome(subject, artifact, { exitCode, stderr: await ran.stderr() });
    const manifest = await ran.file(ORAS_CONTAINER_PATHS.exportedManifest).contents();
    const listing = ran.withExec(orasDiscoverArgs(subject, artifact.artifactType, ORAS_CONTAINER_PATHS), { expect: ReturnType.Any });
    const discover: OrasRun = { exitCode: await listing.exitCode(), stdout: await listing.stdout(), stderr: await listing.stderr() };
    return attachOutcome(subject, artifact, { exitCode, stderr: "", manifest, discover });
  } catch (err) {
    return { artifactType: artifact.artifactType, file: artifact.fileName, status: "failed", error: `oras attach could not run: ${errorMessage(err)}` };
  }
}

/**
 * The pinned ORAS container logged in to the registry of `subject` (`<host>/<repository>@sha256:...`):
 * the ECR login is fetched just before, and reaches ORAS only as a mounted secret (a Docker
 * config.json at REGISTRY_CONFIG_PATH). `runId` keeps one run's execs out of another run's cache.
 */
export async function orasContainer(registry: Registry, subject: string, runId: string): Promise<Container> {
  const { name } = referrerSubject(subject);
  const host = name.slice(0, name.indexOf("/"));
  const login = await registryLogin(registry);
  const config: Secret = dag.setSecret(`dpra-oras-registry-config-${registry.accountId}-${registry.region}`, registryConfigJson(host, login.username, login.password));
  return (
    dag
      .container()
      .from(ORAS_IMAGE)
      .withMountedSecret(REGISTRY_CONFIG_PATH, config)
      .withWorkdir(WORKDIR)
      // A new run attaches (and reads) again instead of reusing a cached exec of an earlier run.
      .withEnvVariable("DPRA_RUN_ID", runId)
  );
}

export interface PublishReferrers {
  /** The pushed image, `<host>/<repository>@sha256:...`. */
  reference: string;
  /** The CycloneDX SBOM, when one was given to publish. */
  sbom?: File;
  /** The provenance statement (in-toto Statement v1) as JSON. */
  provenance: string;
  runId: string;
  /** False: nothing is attached, and the report says so. */
  enabled: boolean;
}

/**
 * Attaches the SBOM (when given) and the provenance statement to the pushed digest. The ECR login is
 * fetched just before, and reaches the ORAS container only as a mounted secret (a Docker
 * config.json). Failures are returned, not thrown: the image is stored either way, and both files
 * stay in the publish reports.
 */
export async function attachPublishReferrers(registry: Registry, p: PublishReferrers): Promise<ReferrersReport> {
  const { name, digest } = referrerSubject(p.reference);
  const subject = `${name}@${digest}`;
  const wanted: Array<{ artifact: ReferrerArtifact; file?: File }> = [
    { artifact: { fileName: "sbom.cdx.json", artifactType: SBOM_ARTIFACT_TYPE }, ...(p.sbom ? { file: p.sbom } : {}) },
    {
      artifact: { fileName: "provenance.intoto.json", artifactType: PROVENANCE_ARTIFACT_TYPE },
      file: dag.directory().withNewFile("provenance.intoto.json", p.provenance).file("provenance.intoto.json"),
    },
  ];
  if (!p.enabled) {
    return { subject, outcomes: wanted.map(({ artifact }) => skipped(artifact, "not attached (--attach-referrers=false)")) };
  }
  const base = await orasContainer(registry, subject, p.runId);
  const outcomes = await Promise.all(
    wanted.map(({ artifact, file }) => (file ? attachReferrer(base, subject, artifact, file) : Promise.resolve(skipped(artifact, "no SBOM was given to publish")))),
  );
  const report = { subject, outcomes };
  // Not fatal, but not silent: the publish report (publish.json) lists each outcome too.
  for (const line of describeReferrers(report).filter((l) => l.includes("NOT attached"))) console.warn(`dpra publish: ${line}`);
  return report;
}

function skipped(artifact: ReferrerArtifact, reason: string): ReferrerOutcome {
  return { artifactType: artifact.artifactType, file: artifact.fileName, status: "skipped", reason };
}

/** One line per artifact, for logs and the publish report. */
export function describeReferrers(report: ReferrersReport): string[] {
  return report.outcomes.map((o) =>
    o.status === "attached"
      ? `${o.artifactType}: attached as ${o.digest}`
      : o.status === "failed"
        ? `${o.artifactType}: NOT attached: ${o.error}`
        : `${o.artifactType}: skipped (${o.reason})`,
  );
}
