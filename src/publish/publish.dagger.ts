// The Dagger side of publish, promote and ensureRepository: read config and credentials, hand the
// registry login to the engine as a Secret, and delegate every decision to src/aws/ecr.
import { createHash } from "node:crypto";
import { dag, type Container, type Directory, type File } from "@dagger.io/dagger";
import type { DpraConfig } from "../config/schema.js";
import type { ArtifactConfig } from "../config/sections/artifact.js";
import { ecrRegistry, registryHost, type Registry } from "../aws/ecr/client.js";
import { digestOfReference, getManifest, registryLogin } from "../aws/ecr/images.js";
import { promoteImage, type PromotionOutcome } from "../aws/ecr/promote.js";
import { publishImage } from "../aws/ecr/publish.js";
import { desiredRepository, describeDrift, ensureRepository, type RepositoryReport } from "../aws/ecr/repository.js";
import { waitForScanFindings } from "../aws/ecr/scan.js";
import type { FindingSet } from "../findings/model.js";
import { evaluateGate } from "../policy/gate.js";
import { renderJson, renderMarkdown } from "../policy/render.js";
import { loadBaseline, loadSourceConfig } from "../inputs/source.dagger.js";
import { runIdentity, type CredentialSecrets } from "../inputs/credentials.dagger.js";
import { provenanceStatement } from "./provenance.js";
import { attachPublishReferrers } from "./referrers.dagger.js";
import { PublishResult } from "./result.dagger.js";

const BUILDER_ID = "https://dpra.dev/builders/dagger-module/v0.21.9";

function artifactOf(config: DpraConfig): ArtifactConfig {
  if (!config.artifact) {
    throw new Error("dpra.yaml has no artifact section: set artifact.ecr.repository, account and region to publish (see docs/aws-credentials.md).");
  }
  return config.artifact;
}

async function artifactRegistry(source: Directory, secrets: CredentialSecrets, runId: string | undefined) {
  const config = await loadSourceConfig(source);
  const artifact = artifactOf(config);
  const identity = await runIdentity(secrets, { app: config.name ?? artifact.ecr.repository, region: artifact.ecr.region, ...(runId ? { runId } : {}) });
  const registry = ecrRegistry(identity.forRole("artifact", artifact.ecr.roleArn, artifact.ecr.region), artifact.ecr.account, artifact.ecr.region);
  return { config, artifact, identity, registry };
}

export async function ensureRepositoryShell(source: Directory, apply: boolean, secrets: CredentialSecrets): Promise<string> {
  const { artifact, registry } = await artifactRegistry(source, secrets, undefined);
  const report = await ensureRepository(registry, desiredRepository(artifact.ecr), { apply });
  return JSON.stringify({ ...report, summary: describeDrift(report) }, null, 2);
}

/** Pushes with a login fetched just before the push; the password reaches the engine only as a Secret. */
function pushWith(registry: Registry, image: Container) {
  return async (ref: string): Promise<string> => {
    const login = await registryLogin(registry);
    const password = dag.setSecret(`dpra-ecr-login-${registry.accountId}-${registry.region}`, login.password);
    // The credentials are for the registry the reference names (the token's proxy endpoint is the same registry).
    const host = ref.slice(0, ref.indexOf("/"));
    const published = await image.withRegistryAuth(host, login.username, password).publish(ref);
    return digestOfReference(published);
  };
}

export interface PublishArgs {
  image: Container;
  gitRevision: string;
  source: Directory;
  releaseTag?: string;
  runId?: string;
  sbom?: File;
  waitForScan: boolean;
  /** Throw when the ECR findings fail the policy gate (after pushing and building the reports). */
  enforceGate: boolean;
  /** Attach the SBOM and provenance to the pushed digest as OCI referrers (default true). */
  attachReferrers?: boolean;
  secrets: CredentialSecrets;
}

export async function publishShell(args: PublishArgs): Promise<PublishResult> {
  const startedOn = new Date();
  const { config, artifact, identity, registry } = await artifactRegistry(args.source, args.secrets, args.runId);
  const repository: RepositoryReport = await ensureRepository(registry, desiredRepository(artifact.ecr), { apply: false });
  const outcome = await publishImage(
    registry,
    { repository: artifact.ecr.repository, gitRevision: args.gitRevision, runId: identity.runId, ...(args.releaseTag ? { releaseTag: args.releaseTag } : {}) },
    pushWith(registry, args.image),
  );
  const scan = args.waitForScan
    ? await waitForScanFindings(registry, { repository: artifact.ecr.repository, digest: outcome.digest }, { timeoutSeconds: artifact.ecr.scanWaitSeconds })
    : undefined;
  if (scan && scan.state !== "complete") console.warn(`dpra publish: ${scan.findings.toolErrors.join(" ")}`);
  // Read once to record its digest in the provenance; the file itself goes into the reports as is.
  const sbom = args.sbom ? await args.sbom.contents() : "";
  const provenance = provenanceStatement({
    repositoryUri: outcome.repositoryUri,
    digest: outcome.digest,
    gitRevision: args.gitRevision,
    runId: identity.runId,
    builderId: BUILDER_ID,
    startedOn,
    finishedOn: new Date(),
    ...(args.releaseTag ? { releaseTag: args.releaseTag } : {}),
    ...(sbom !== "" ? { sbomSha256: createHash("sha256").update(sbom).digest("hex") } : {}),
  });
  const referrers = await attachPublishReferrers(registry, {
    reference: outcome.reference,
    provenance: JSON.stringify(provenance, null, 2),
    runId: identity.runId,
    enabled: args.attachReferrers ?? true,
    ...(args.sbom ? { sbom: args.sbom } : {}),
  });
  const findings: FindingSet = scan?.findings ?? {
    tool: "ecr",
    format: "ecr-image-scan-findings",
    findings: [],
    toolErrors: ["ECR scan results were not awaited (--wait-for-scan=false)."],
  };
  const scanState = scan?.state ?? "skipped";
  const gate = scan ? evaluateGate([findings], config.policy, { today: new Date(), baseline: await loadBaseline(args.source, config) }) : undefined;
  const report = {
    reference: outcome.reference,
    digest: outcome.digest,
    revision: outcome.revision,
    gitRevision: args.gitRevision,
    ...(outcome.releaseTag ? { releaseTag: outcome.releaseTag } : {}),
    runId: identity.runId,
    repository: { ...repository, summary: describeDrift(repository) },
    scan: scan ? { state: scan.state, status: scan.status, waitedSeconds: scan.waitedSeconds, findings: scan.findings.findings.length } : { state: scanState },
    gate: gate ? { passed: gate.passed, verdict: gate.verdict } : { passed: false, verdict: "not evaluated: the ECR scan was not awaited" },
    referrers: referrers.outcomes,
  };
  const texts = {
    report: JSON.stringify(report, null, 2),
    provenance: JSON.stringify(provenance, null, 2),
    findings: JSON.stringify(findings, null, 2),
    gateReport: gate ? renderJson(gate) : "",
    gate: gate ? renderMarkdown(gate) : "Not evaluated: the ECR scan was not awaited (--wait-for-scan=false).",
  };
  let reports = dag.directory().withNewFile("publish.json", texts.report).withNewFile("provenance.intoto.json", texts.provenance).withNewFile("ecr-findings.json", texts.findings);
  if (gate) reports = reports.withNewFile("ecr-gate.json", texts.gateReport).withNewFile("ecr-gate.md", texts.gate);
  if (args.sbom) reports = reports.withFile("sbom.cdx.json", args.sbom);
  const result = new PublishResult({
    reference: outcome.reference,
    digest: outcome.digest,
    revision: outcome.revision,
    scanState,
    gatePassed: gate?.passed ?? false,
    referrers: referrers.outcomes.flatMap((o) => (o.status === "attached" ? [o.reference] : [])),
    ...texts,
    reports,
  });
  if (gate && !gate.passed && args.enforceGate) {
    throw new Error(
      `publish: ${outcome.reference} is stored, but its ECR scan fails the policy gate: ${gate.verdict}. ` +
        "Do not promote it. Fix or allowlist the findings (dpra.yaml policy), or rerun with --enforce-gate=false to get the reports.",
    );
  }
  return result;
}

/** `host/repository@sha256:...` split into its parts. */
export function parseReference(reference: string): { host: string; repository: string; digest: string } {
  const digest = digestOfReference(reference);
  const name = reference
    .trim()
    .slice(0, -(digest.length + 1))
    .replace(/:[^/:]+$/, "");
  const slash = name.indexOf("/");
  if (slash <= 0) throw new Error(`Expected <registry host>/<repository>@sha256:..., got "${reference}".`);
  return { host: name.slice(0, slash), repository: name.slice(slash + 1), digest };
}

export interface PromoteArgs {
  reference: string;
  env: "gamma" | "prod";
  source: Directory;
  tag?: string;
  runId?: string;
  secrets: CredentialSecrets;
}

export async function promoteShell(args: PromoteArgs): Promise<string> {
  const { config, artifact, identity, registry } = await artifactRegistry(args.source, args.secrets, args.runId);
  const ref = parseReference(args.reference);
  const expectedHost = registryHost(artifact.ecr.account, artifact.ecr.region);
  if (ref.host !== expectedHost || ref.repository !== artifact.ecr.repository) {
    throw new Error(`promote: ${args.reference} is not in the configured repository ${expectedHost}/${artifact.ecr.repository}; promote only what publish stored.`);
  }
  const target = artifact.promote[args.env];
  const environment = config.environments[args.env];
  if (target && !environment) {
    throw new Error(
      `dpra.yaml: artifact.promote.${args.env} is set, but environments.${args.env} is not: the copy is made as environments.${args.env}.roleArn; add the environment.`,
    );
  }
  const outcome: PromotionOutcome | { route: "central-repository"; reference: string } = target
    ? await promoteImage(
        { registry, repository: ref.repository },
        {
          registry: ecrRegistry(identity.forRole(args.env, environment!.roleArn, target.region), target.account, target.region),
          repository: target.repository ?? ref.repository,
        },
        { digest: ref.digest, ...(args.tag ? { tag: args.tag } : {}) },
      )
    : await centralRepository(registry, ref, args.reference);
  return JSON.stringify(outcome, null, 2);
}

/** No copy configured: the environment pulls from the central repository; only check that the digest is there. */
async function centralRepository(registry: Registry, ref: { repository: string; digest: string }, reference: string) {
  await getManifest(registry, ref.repository, ref.digest);
  return { route: "central-repository" as const, reference };
}
