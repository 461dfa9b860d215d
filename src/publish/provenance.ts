// The provenance record kept with the run's reports: an in-toto Statement v1 with a SLSA v1
// provenance predicate naming the pushed digest, the source revision, the builder and the inputs.

export interface ProvenanceInput {
  /** `host/repo` of the pushed image. */
  repositoryUri: string;
  digest: string;
  gitRevision: string;
  /** Source repository URL or name, when known. */
  sourceRepository?: string;
  releaseTag?: string;
  runId: string;
  /** A URI naming the builder, e.g. `https://dpra.dev/builders/dagger-module/v0.21.9`. */
  builderId: string;
  /** Pinned inputs of the build: base images, tool images (name -> `sha256:...`). */
  resolvedDependencies?: Record<string, string>;
  /** SHA-256 of the CycloneDX SBOM kept with the reports, when one was passed. */
  sbomSha256?: string;
  startedOn: Date;
  finishedOn: Date;
}

export function provenanceStatement(p: ProvenanceInput): Record<string, unknown> {
  const hex = (d: string) => d.replace(/^sha256:/, "");
  return {
    _type: "https://in-toto.io/Statement/v1",
    subject: [{ name: p.repositoryUri, digest: { sha256: hex(p.digest) } }],
    predicateType: "https://slsa.dev/provenance/v1",
    predicate: {
      buildDefinition: {
        buildType: "https://dpra.dev/buildtypes/publish/v1",
        externalParameters: {
          source: { revision: p.gitRevision, ...(p.sourceRepository ? { repository: p.sourceRepository } : {}) },
          ...(p.releaseTag ? { releaseTag: p.releaseTag } : {}),
        },
        resolvedDependencies: [
          { uri: p.sourceRepository ? `git+${p.sourceRepository}@${p.gitRevision}` : `git:${p.gitRevision}`, digest: gitDigest(p.gitRevision) },
          ...Object.entries(p.resolvedDependencies ?? {}).map(([uri, digest]) => ({ uri, digest: { sha256: hex(digest) } })),
        ],
      },
      runDetails: {
        builder: { id: p.builderId },
        metadata: { invocationId: p.runId, startedOn: p.startedOn.toISOString(), finishedOn: p.finishedOn.toISOString() },
        ...(p.sbomSha256 ? { byproducts: [{ name: "sbom.cdx.json", mediaType: "application/vnd.cyclonedx+json", digest: { sha256: p.sbomSha256 } }] } : {}),
      },
    },
  };
}

/** A 40-hex revision is a git commit (sha1); anything else (a tag, a short SHA) is recorded as given. */
function gitDigest(revision: string): Record<string, string> {
  if (/^[a-f0-9]{40}$/.test(revision)) return { gitCommit: revision };
  if (/^[a-f0-9]{64}$/.test(revision)) return { gitCommit: revision };
  return { gitRevision: revision };
}
