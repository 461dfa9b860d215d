import { dag, Directory, func, object } from "@dagger.io/dagger";

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

  /** ECR scan state after the push: complete, timeout or failed. Timeout and failed mean the findings are unknown. */
  @func()
  scanState: string;

  /** The publish report as JSON: repository drift, tags, scan findings and provenance. */
  @func()
  report: string;

  /** The provenance record (in-toto Statement v1, SLSA provenance v1) as JSON. */
  @func()
  provenance: string;

  /** The ECR scan findings as a findings-model JSON FindingSet (tool `ecr`, category `vulnerability`). */
  @func()
  findings: string;

  /** The CycloneDX SBOM passed to publish, kept with the reports (empty when none was passed). */
  @func()
  sbom: string;

  constructor(reference: string, digest: string, revision: string, scanState: string, report: string, provenance: string, findings: string, sbom: string) {
    this.reference = reference;
    this.digest = digest;
    this.revision = revision;
    this.scanState = scanState;
    this.report = report;
    this.provenance = provenance;
    this.findings = findings;
    this.sbom = sbom;
  }

  /** The reports as files: publish.json, provenance.intoto.json, ecr-findings.json and, when given, sbom.cdx.json. */
  @func()
  reports(): Directory {
    let dir = dag
      .directory()
      .withNewFile("publish.json", this.report)
      .withNewFile("provenance.intoto.json", this.provenance)
      .withNewFile("ecr-findings.json", this.findings);
    if (this.sbom !== "") dir = dir.withNewFile("sbom.cdx.json", this.sbom);
    return dir;
  }
}
