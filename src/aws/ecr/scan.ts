// ECR scan results after a push: wait (bounded, with backoff) for the scan, then map basic and
// enhanced (Amazon Inspector) findings to the pipeline's findings model, so the policy gate decides.
// A scan that does not finish in time, or fails, becomes the project's tool-failure finding (critical,
// category vulnerability): it blocks the gate unless allowlisted, and is never read as "no findings".
import type { DescribeImageScanFindingsCommandOutput, EnhancedImageScanFinding, ImageScanFinding } from "@aws-sdk/client-ecr";
import { ecrSdk } from "../sdk.js";
import type { Finding, FindingSet, Severity } from "../../findings/model.js";
import { fingerprintOf } from "../../findings/normalize.js";
import { toolFailureSet } from "../../findings/tool-failure.js";
import { realSleep } from "../retry.js";
import { codeOf, ecrCall, type Registry } from "./client.js";

export type ScanState = "complete" | "timeout" | "failed";

export interface ScanOutcome {
  state: ScanState;
  /** ECR's last status, e.g. COMPLETE, ACTIVE, IN_PROGRESS, UNSUPPORTED_IMAGE. */
  status: string;
  description?: string;
  waitedSeconds: number;
  findings: FindingSet;
}

export interface ScanWaitOptions {
  timeoutSeconds: number;
  sleep?: (ms: number) => Promise<void>;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

const WAITING = new Set(["IN_PROGRESS", "PENDING"]);
const DONE = new Set(["COMPLETE", "ACTIVE"]);

export async function waitForScanFindings(registry: Registry, image: { repository: string; digest: string }, opts: ScanWaitOptions): Promise<ScanOutcome> {
  const sleep = opts.sleep ?? realSleep;
  const limitMs = opts.timeoutSeconds * 1000;
  let waitedMs = 0;
  for (let attempt = 0; ; attempt++) {
    const first = await describe(registry, image, undefined);
    const status = first?.imageScanStatus?.status ?? "SCAN_NOT_FOUND";
    if (first && DONE.has(status)) {
      const pages = [first];
      for (let next = first.nextToken; next;) {
        const page = await describe(registry, image, next);
        if (!page) break;
        pages.push(page);
        next = page.nextToken;
      }
      return { state: "complete", status, waitedSeconds: Math.round(waitedMs / 1000), findings: toFindingSet(pages, []) };
    }
    if (first && !WAITING.has(status)) {
      const description = first.imageScanStatus?.description;
      const message = `ECR scan of ${image.repository}@${image.digest} ended with ${status}${description ? `: ${description}` : ""}; the image has no ECR scan result.`;
      return { state: "failed", status, ...(description ? { description } : {}), waitedSeconds: Math.round(waitedMs / 1000), findings: scanFailure(message) };
    }
    if (waitedMs >= limitMs) {
      const message =
        `ECR scan of ${image.repository}@${image.digest} did not finish within ${opts.timeoutSeconds} s (last status ${status}). ` +
        "Its findings are unknown: raise artifact.ecr.scanWaitSeconds or check the registry's scanning configuration.";
      return { state: "timeout", status, waitedSeconds: Math.round(waitedMs / 1000), findings: scanFailure(message) };
    }
    const delay = Math.min(opts.maxDelayMs ?? 30_000, (opts.initialDelayMs ?? 5_000) * 2 ** attempt, limitMs - waitedMs);
    await sleep(delay);
    waitedMs += delay;
  }
}

/** One page of findings; undefined while the scan does not exist yet (ScanNotFoundException). */
async function describe(
  registry: Registry,
  image: { repository: string; digest: string },
  nextToken: string | undefined,
): Promise<DescribeImageScanFindingsCommandOutput | undefined> {
  try {
    return await ecrCall(registry, "DescribeImageScanFindings", image.repository, async () =>
      registry.client.send(
        new (await ecrSdk()).DescribeImageScanFindingsCommand({
          repositoryName: image.repository,
          registryId: registry.accountId,
          imageId: { imageDigest: image.digest },
          maxResults: 1000,
          ...(nextToken ? { nextToken } : {}),
        }),
      ),
    );
  } catch (err) {
    if (codeOf(err) === "ScanNotFoundException") return undefined;
    throw err;
  }
}

function scanFailure(message: string): FindingSet {
  return toolFailureSet("ecr", "vulnerability", message);
}

const SEVERITY: Record<string, Severity> = {
  CRITICAL: "critical",
  HIGH: "high",
  MEDIUM: "medium",
  LOW: "low",
  INFORMATIONAL: "info",
};

/** ECR's UNDEFINED / UNTRIAGED severities are kept visible as medium rather than dropped as info. */
function severityOf(raw: string | undefined): Severity {
  return SEVERITY[(raw ?? "").toUpperCase()] ?? "medium";
}

export function toFindingSet(pages: readonly DescribeImageScanFindingsCommandOutput[], toolErrors: string[]): FindingSet {
  const findings: Finding[] = [];
  for (const page of pages) {
    for (const f of page.imageScanFindings?.findings ?? []) findings.push(fromBasic(f));
    for (const f of page.imageScanFindings?.enhancedFindings ?? []) {
      const mapped = fromEnhanced(f);
      if (mapped) findings.push(mapped);
    }
  }
  return { tool: "ecr", format: "ecr-image-scan-findings", findings, toolErrors };
}

function attribute(f: ImageScanFinding, key: string): string | undefined {
  return f.attributes?.find((a) => a.key === key)?.value;
}

export function fromBasic(f: ImageScanFinding): Finding {
  const rule = f.name ?? "unknown";
  const pkg = attribute(f, "package_name");
  const version = attribute(f, "package_version");
  return {
    tool: "ecr",
    category: "vulnerability",
    rule,
    severity: severityOf(f.severity),
    message: f.description ?? `${rule}${pkg ? ` in ${pkg}${version ? ` ${version}` : ""}` : ""}`,
    location: { ...(pkg ? { package: pkg } : {}), ...(version ? { version } : {}) },
    fingerprint: fingerprintOf("ecr", "vulnerability", pkg, version, rule),
    ...(f.uri ? { helpUri: f.uri } : {}),
  };
}

/** Inspector findings; CLOSED ones are gone from the image and dropped, SUPPRESSED ones are kept as suppressed. */
export function fromEnhanced(f: EnhancedImageScanFinding): Finding | undefined {
  if (f.status === "CLOSED") return undefined;
  const details = f.packageVulnerabilityDetails;
  const rule = details?.vulnerabilityId ?? f.title ?? f.findingArn ?? "unknown";
  const pkg = details?.vulnerablePackages?.[0];
  const fixed = pkg?.fixedInVersion && pkg.fixedInVersion !== "NotAvailable" ? pkg.fixedInVersion : undefined;
  const fix = f.fixAvailable === "YES" || f.fixAvailable === "PARTIAL" ? true : f.fixAvailable === "NO" ? false : undefined;
  return {
    tool: "ecr",
    category: "vulnerability",
    rule,
    severity: severityOf(f.severity),
    message: f.title ?? f.description ?? rule,
    location: {
      ...(pkg?.filePath ? { path: pkg.filePath.replace(/^\/+/, "") } : {}),
      ...(pkg?.name ? { package: pkg.name } : {}),
      ...(pkg?.version ? { version: pkg.version } : {}),
    },
    fingerprint: fingerprintOf("ecr", "vulnerability", pkg?.name, pkg?.version, rule),
    ...(f.title ? { title: f.title } : {}),
    ...(fix !== undefined ? { fixAvailable: fix } : {}),
    ...(fixed ? { fixedVersion: fixed } : {}),
    ...(f.status === "SUPPRESSED" ? { suppressed: { kind: "inspector-suppression-rule" } } : {}),
    ...(details?.sourceUrl ? { helpUri: details.sourceUrl } : {}),
  };
}
