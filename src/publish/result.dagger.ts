import { Directory, func, object } from "@dagger.io/dagger";

export interface PublishResultFields {
  reference: string;
  digest: string;
  revision: string;
  scanState: string;
  gatePassed: boolean;
  referrers: string[];
  gate: string;
  report: string;
  provenance: string;
  findings: string;
  gateReport: string;
  reports: Directory;
}

/** What `publish` stored: the digest-pinned reference every later stage deploys, and the run's reports. */
@object()
export class PublishResult {
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:...` */
  @func()
  reference: string;

  /** `sha256:...` of the pushed image. */
  @func()
  digest: string;

  /** `pushed` on the first publish of a revision, `unchanged` when a rerun found the same digest already stored. */
  @func()
  revision: string;

  /** ECR scan state after the push: complete, timeout, failed, or skipped (not awaited). Timeout and failed block the gate. */
  @func()
  scanState: string;

  /** Whether the ECR scan findings pass the policy gate (dpra.yaml `policy`). False when the scan was not awaited. */
  @func()
  gatePassed: boolean;

  /**
   * The SBOM and provenance attached to the image as OCI referrers: `<repository>@sha256:...` of each
   * referrer manifest. An artifact that could not be attached is missing here and listed with its
   * error in `report` (publish.json `referrers`).
   */
  @func()
  referrers: string[];

  /** The policy gate's verdict on the ECR scan findings, as Markdown. */
  @func()
  gate: string;

  /** The publish report as JSON: reference, tags, repository drift, scan state. */
  @func()
  report: string;

  /** The provenance record (in-toto Statement v1, SLSA provenance v1) as JSON. */
  @func()
  provenance: string;

  /** The ECR scan findings as a findings-model JSON FindingSet (tool `ecr`, category `vulnerability`). */
  @func()
  findings: string;

  /** The policy gate's result as JSON (readable back as a baseline). Empty when the scan was not awaited. */
  @func()
  gateReport: string;

  /**
   * The reports as files: publish.json, provenance.intoto.json, ecr-findings.json, ecr-gate.json and
   * ecr-gate.md (when the scan was awaited) and sbom.cdx.json (when an SBOM was given).
   */
  @func()
  reports: Directory;

  constructor(fields: PublishResultFields) {
    this.reference = fields.reference;
    this.digest = fields.digest;
    this.revision = fields.revision;
    this.scanState = fields.scanState;
    this.gatePassed = fields.gatePassed;
    this.referrers = fields.referrers;
    this.gate = fields.gate;
    this.report = fields.report;
    this.provenance = fields.provenance;
    this.findings = fields.findings;
    this.gateReport = fields.gateReport;
    this.reports = fields.reports;
  }
}
