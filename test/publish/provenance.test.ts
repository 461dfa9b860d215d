import { describe, expect, it } from "vitest";
import { provenanceStatement } from "../../src/publish/provenance.js";

interface Statement {
  _type: string;
  predicateType: string;
  subject: unknown;
  predicate: { buildDefinition: { resolvedDependencies: unknown[] }; runDetails: { byproducts?: unknown } };
}

const base = {
  repositoryUri: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/fruit-api",
  digest: `sha256:${"a".repeat(64)}`,
  gitRevision: "0123456789abcdef0123456789abcdef01234567",
  runId: "run-1",
  builderId: "https://dpra.dev/builders/dagger-module/v0.21.9",
  startedOn: new Date("2026-11-26T08:00:00Z"),
  finishedOn: new Date("2026-11-26T08:05:00Z"),
};

describe("provenance record", () => {
  it("is an in-toto Statement v1 with a SLSA v1 predicate naming the digest, revision, builder and run", () => {
    const s = provenanceStatement({
      ...base,
      sourceRepository: "https://github.com/acme/fruit-api",
      resolvedDependencies: { "docker.io/library/node:22-alpine": `sha256:${"b".repeat(64)}` },
    }) as unknown as Statement;
    expect(s._type).toBe("https://in-toto.io/Statement/v1");
    expect(s.predicateType).toBe("https://slsa.dev/provenance/v1");
    expect(s.subject).toEqual([{ name: base.repositoryUri, digest: { sha256: "a".repeat(64) } }]);
    expect(s.predicate.buildDefinition.resolvedDependencies).toEqual([
      { uri: `git+https://github.com/acme/fruit-api@${base.gitRevision}`, digest: { gitCommit: base.gitRevision } },
      { uri: "docker.io/library/node:22-alpine", digest: { sha256: "b".repeat(64) } },
    ]);
    expect(s.predicate.runDetails).toEqual({
      builder: { id: base.builderId },
      metadata: { invocationId: "run-1", startedOn: "2026-11-26T08:00:00.000Z", finishedOn: "2026-11-26T08:05:00.000Z" },
    });
  });

  it("records a non-commit revision as given, and the SBOM as a byproduct by digest", () => {
    const s = provenanceStatement({ ...base, gitRevision: "v1.2.0", sbomSha256: "c".repeat(64) }) as unknown as Statement;
    expect(s.predicate.buildDefinition.resolvedDependencies[0]).toEqual({ uri: "git:v1.2.0", digest: { gitRevision: "v1.2.0" } });
    expect(s.predicate.runDetails.byproducts).toEqual([{ name: "sbom.cdx.json", mediaType: "application/vnd.cyclonedx+json", digest: { sha256: "c".repeat(64) } }]);
  });
});
