import {
  BatchCheckLayerAvailabilityCommand,
  CompleteLayerUploadCommand,
  DescribeRegistryCommand,
  GetDownloadUrlForLayerCommand,
  InitiateLayerUploadCommand,
  PutImageCommand,
  UploadLayerPartCommand,
} from "@aws-sdk/client-ecr";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { choosePromotionRoute, promoteImage } from "../../../src/aws/ecr/promote.js";
import { DigestMismatchError } from "../../../src/digest.js";
import { manifestBlobs, rechunk } from "../../../src/aws/ecr/copy.js";
import { TagConflictError } from "../../../src/aws/ecr/images.js";
import {
  ACCOUNT,
  DIGEST_A,
  DIGEST_B,
  ecrMock,
  emptyStore,
  GAMMA,
  GAMMA_ROLE,
  MANIFEST,
  OCI_MANIFEST,
  REGION,
  registry,
  storeFor,
  type FakeStore,
} from "../../support/ecr-stubs.js";

let ecr: ReturnType<typeof ecrMock>;
let source: FakeStore;
let target: FakeStore;
const sourceLoc = () => ({ registry: registry(), repository: "fruit-api" });
const gammaLoc = (region = REGION) => ({ registry: registry(GAMMA, region, GAMMA_ROLE), repository: "fruit-api" });

beforeEach(() => {
  ecr = ecrMock();
  source = emptyStore();
  target = emptyStore();
  source.tags.set("rev1", DIGEST_A);
  source.manifests.set(DIGEST_A, { manifest: MANIFEST, mediaType: OCI_MANIFEST });
  storeFor(ecr, { [ACCOUNT]: source, [GAMMA]: target });
  ecr.on(DescribeRegistryCommand).resolves({ registryId: ACCOUNT, replicationConfiguration: { rules: [] } });
});
afterEach(() => ecr.restore());

async function* bytes(n: number, chunk = 3): AsyncIterable<Uint8Array> {
  for (let i = 0; i < n; i += chunk) yield new Uint8Array(Math.min(chunk, n - i)).fill(i % 251);
}

describe("route", () => {
  const rules = [{ destinations: [{ region: REGION, registryId: GAMMA }], repositoryFilters: [{ filter: "fruit", filterType: "PREFIX_MATCH" as const }] }];
  it("re-tags in the same repository, uses replication when a rule covers the target, else copies", () => {
    expect(choosePromotionRoute(sourceLoc(), sourceLoc(), [])).toBe("same-repository");
    expect(choosePromotionRoute(sourceLoc(), gammaLoc(), rules)).toBe("replication");
    expect(choosePromotionRoute(sourceLoc(), gammaLoc("us-east-1"), rules)).toBe("copy");
    expect(choosePromotionRoute(sourceLoc(), { ...gammaLoc(), repository: "other" }, rules)).toBe("copy");
    expect(choosePromotionRoute(sourceLoc(), gammaLoc(), [{ ...rules[0]!, repositoryFilters: [{ filter: "veg", filterType: "PREFIX_MATCH" }] }])).toBe("copy");
    expect(choosePromotionRoute(sourceLoc(), gammaLoc(), [{ destinations: rules[0]!.destinations }])).toBe("replication");
  });
});

describe("promoteImage", () => {
  it("re-tags by digest within the same repository", async () => {
    const out = await promoteImage(sourceLoc(), sourceLoc(), { digest: DIGEST_A, tag: "gamma-approved" });
    expect(out).toMatchObject({ route: "same-repository", digest: DIGEST_A, copiedBlobs: 0, tag: "gamma-approved" });
    expect(source.tags.get("gamma-approved")).toBe(DIGEST_A);
    expect(ecr.commandCalls(DescribeRegistryCommand)).toHaveLength(0);
  });

  it("waits for replication to bring the digest to the other account, then verifies it", async () => {
    ecr.on(DescribeRegistryCommand).resolves({
      replicationConfiguration: { rules: [{ destinations: [{ region: REGION, registryId: GAMMA }] }] },
    });
    const sleeps: number[] = [];
    let polls = 0;
    const out = await promoteImage(sourceLoc(), gammaLoc(), {
      digest: DIGEST_A,
      tag: "rev1",
      replicationWaitSeconds: 60,
      sleep: async (ms) => {
        sleeps.push(ms);
        if (++polls === 2) target.manifests.set(DIGEST_A, { manifest: MANIFEST, mediaType: OCI_MANIFEST });
      },
    });
    expect(out).toMatchObject({ route: "replication", digest: DIGEST_A, reference: `${GAMMA}.dkr.ecr.${REGION}.amazonaws.com/fruit-api@${DIGEST_A}` });
    expect(sleeps).toEqual([2000, 4000]);
    expect(target.tags.get("rev1")).toBe(DIGEST_A);
    expect(ecr.commandCalls(InitiateLayerUploadCommand)).toHaveLength(0);
  });

  it("fails after the bounded wait when replication does not deliver", async () => {
    ecr.on(DescribeRegistryCommand).resolves({ replicationConfiguration: { rules: [{ destinations: [{ region: REGION, registryId: GAMMA }] }] } });
    const sleeps: number[] = [];
    const err = await promoteImage(sourceLoc(), gammaLoc(), { digest: DIGEST_A, replicationWaitSeconds: 20, sleep: async (ms) => void sleeps.push(ms) }).catch((e) => e);
    expect(err.message).toContain(`ECR replication: fruit-api@${DIGEST_A} did not appear in account ${GAMMA} ${REGION} within 20 s`);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(20_000);
  });

  it("copies missing blobs and the unchanged manifest to another account, keeping the digest", async () => {
    ecr.on(BatchCheckLayerAvailabilityCommand).resolves({
      layers: [
        { layerDigest: `sha256:${"c".repeat(64)}`, layerAvailability: "UNAVAILABLE" },
        { layerDigest: `sha256:${"1".repeat(64)}`, layerAvailability: "AVAILABLE" },
        { layerDigest: `sha256:${"2".repeat(64)}`, layerAvailability: "UNAVAILABLE" },
      ],
    });
    ecr
      .on(GetDownloadUrlForLayerCommand)
      .callsFake((input: { layerDigest: string }) => ({ downloadUrl: `https://presigned.example/${input.layerDigest}`, layerDigest: input.layerDigest }));
    ecr.on(InitiateLayerUploadCommand).resolves({ uploadId: "up-1", partSize: 5 * 1024 * 1024 });
    ecr.on(UploadLayerPartCommand).resolves({});
    ecr.on(CompleteLayerUploadCommand).resolves({});
    const downloads: string[] = [];
    const out = await promoteImage(sourceLoc(), gammaLoc(), {
      digest: DIGEST_A,
      tag: "rev1",
      download: (url) => {
        downloads.push(url);
        return bytes(10);
      },
    });
    expect(out).toMatchObject({ route: "copy", copiedBlobs: 2, digest: DIGEST_A });
    expect(downloads).toEqual([`https://presigned.example/sha256:${"c".repeat(64)}`, `https://presigned.example/sha256:${"2".repeat(64)}`]);
    const parts = ecr.commandCalls(UploadLayerPartCommand).map((c) => c.args[0].input);
    expect(parts.map((p) => [p.partFirstByte, p.partLastByte, p.layerPartBlob?.length])).toEqual([
      [0, 9, 10],
      [0, 9, 10],
    ]);
    expect(ecr.commandCalls(CompleteLayerUploadCommand).map((c) => c.args[0].input.layerDigests)).toEqual([[`sha256:${"c".repeat(64)}`], [`sha256:${"2".repeat(64)}`]]);
    const puts = ecr.commandCalls(PutImageCommand).map((c) => c.args[0].input);
    expect(puts[0]).toMatchObject({ registryId: GAMMA, imageManifest: MANIFEST, imageManifestMediaType: OCI_MANIFEST, imageDigest: DIGEST_A });
    expect(target.tags.get("rev1")).toBe(DIGEST_A);
  });

  it("fails with a digest mismatch when the target stores another digest", async () => {
    ecr.on(BatchCheckLayerAvailabilityCommand).resolves({ layers: [] });
    ecr.on(GetDownloadUrlForLayerCommand).resolves({ downloadUrl: "https://presigned.example/x" });
    ecr.on(InitiateLayerUploadCommand).resolves({ uploadId: "up-1" });
    ecr.on(UploadLayerPartCommand).resolves({});
    ecr.on(CompleteLayerUploadCommand).resolves({});
    ecr.on(PutImageCommand).resolves({ image: { imageId: { imageDigest: DIGEST_B } } });
    const err = await promoteImage(sourceLoc(), gammaLoc(), { digest: DIGEST_A, download: () => bytes(4) }).catch((e) => e);
    expect(err).toBeInstanceOf(DigestMismatchError);
    expect(err.message).toBe(`Promotion copy: the target stored the manifest as ${DIGEST_B}, expected ${DIGEST_A}.`);
  });

  it("fails the verification when the target tag resolves to another digest than the source", async () => {
    ecr.on(DescribeRegistryCommand).resolves({ replicationConfiguration: { rules: [{ destinations: [{ region: REGION, registryId: GAMMA }] }] } });
    target.manifests.set(DIGEST_A, { manifest: MANIFEST, mediaType: OCI_MANIFEST });
    target.tags.set("rev1", DIGEST_B);
    const err = await promoteImage(sourceLoc(), gammaLoc(), { digest: DIGEST_A, tag: "rev1", sleep: async () => {} }).catch((e) => e);
    expect(err).toBeInstanceOf(TagConflictError);
    expect(err.message).toContain(`fruit-api:rev1 already holds ${DIGEST_B}, not ${DIGEST_A}`);
    expect(target.tags.get("rev1")).toBe(DIGEST_B);
  });

  it("reports a verification mismatch after promotion, naming both digests and the target", async () => {
    ecr.on(DescribeRegistryCommand).resolves({ replicationConfiguration: { rules: [{ destinations: [{ region: REGION, registryId: GAMMA }] }] } });
    target.manifests.set(DIGEST_A, { manifest: MANIFEST, mediaType: OCI_MANIFEST });
    // The tag is free when checked, but reads back as another digest (e.g. changed concurrently).
    let checks = 0;
    const realDescribe = target.tags.get.bind(target.tags);
    target.tags.get = (key: string) => (key === "rev1" && ++checks > 1 ? DIGEST_B : realDescribe(key));
    const err = await promoteImage(sourceLoc(), gammaLoc(), { digest: DIGEST_A, tag: "rev1", sleep: async () => {} }).catch((e) => e);
    expect(err).toBeInstanceOf(DigestMismatchError);
    expect(err.message).toContain(`fruit-api:rev1 in account ${GAMMA} ${REGION} holds ${DIGEST_B}, expected ${DIGEST_A} from the source`);
  });

  it("refuses to copy a multi-platform index without replication", () => {
    const index = JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: [] });
    expect(() => manifestBlobs(index, "application/vnd.oci.image.index.v1+json")).toThrow(/multi-platform index\. Configure ECR replication/);
    expect(manifestBlobs(MANIFEST, OCI_MANIFEST).map((b) => b.digest)).toHaveLength(3);
  });
});

describe("rechunk", () => {
  it("regroups a stream into fixed-size parts with a smaller last part", async () => {
    const parts: number[] = [];
    for await (const p of rechunk(bytes(23, 4), 10)) parts.push(p.length);
    expect(parts).toEqual([10, 10, 3]);
  });
});
