import { BatchDeleteImageCommand, DescribeImagesCommand, GetAuthorizationTokenCommand, PutImageCommand } from "@aws-sdk/client-ecr";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { digestOfReference, registryLogin, TagConflictError } from "../../../src/aws/ecr/images.js";
import { publishImage, verificationTag } from "../../../src/aws/ecr/publish.js";
import {
  ACCOUNT,
  ARTIFACT_ROLE,
  awsError,
  DIGEST_A,
  DIGEST_B,
  ecrMock,
  emptyStore,
  MANIFEST,
  OCI_MANIFEST,
  REGION,
  registry,
  storeFor,
  type FakeStore,
} from "../../support/ecr-stubs.js";

const URI = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/fruit-api`;
const REV = "3f2c1e0d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e";

let ecr: ReturnType<typeof ecrMock>;
let store: FakeStore;
let pushes: string[];

/** What the Dagger shell does: push `ref`; here the registry stores `digest` under the ref's tag. */
function pusher(digest: string) {
  return async (ref: string): Promise<string> => {
    pushes.push(ref);
    store.tags.set(ref.slice(ref.lastIndexOf(":") + 1), digest);
    store.manifests.set(digest, { manifest: MANIFEST, mediaType: OCI_MANIFEST });
    return digest;
  };
}

beforeEach(() => {
  ecr = ecrMock();
  store = emptyStore();
  pushes = [];
  storeFor(ecr, { [ACCOUNT]: store });
});
afterEach(() => ecr.restore());

describe("publishImage", () => {
  it("pushes a new revision once and returns the digest-pinned reference", async () => {
    const out = await publishImage(registry(), { repository: "fruit-api", gitRevision: REV, runId: "r1" }, pusher(DIGEST_A));
    expect(out).toEqual({ repositoryUri: URI, digest: DIGEST_A, reference: `${URI}@${DIGEST_A}`, revision: "pushed" });
    expect(pushes).toEqual([`${URI}:${REV}`]);
  });

  it("succeeds on a rerun with the same digest, without touching the revision tag", async () => {
    store.tags.set(REV, DIGEST_A);
    store.manifests.set(DIGEST_A, { manifest: MANIFEST, mediaType: OCI_MANIFEST });
    const out = await publishImage(registry(), { repository: "fruit-api", gitRevision: REV, runId: "r2" }, pusher(DIGEST_A));
    expect(out).toMatchObject({ digest: DIGEST_A, revision: "unchanged" });
    expect(pushes).toEqual([`${URI}:${verificationTag("r2")}`]);
    expect(ecr.commandCalls(BatchDeleteImageCommand).map((c) => c.args[0].input.imageIds)).toEqual([[{ imageTag: "dpra-verify-r2" }], [{ imageTag: "dpra-verify-r2" }]]);
    expect([...store.tags]).toEqual([[REV, DIGEST_A]]);
    expect(store.manifests.has(DIGEST_A)).toBe(true);
  });

  it("clears a comparison tag left by an interrupted attempt of the same run before pushing", async () => {
    store.tags.set(REV, DIGEST_A);
    store.tags.set("dpra-verify-r9", DIGEST_B);
    store.manifests.set(DIGEST_A, { manifest: MANIFEST, mediaType: OCI_MANIFEST });
    store.manifests.set(DIGEST_B, { manifest: MANIFEST, mediaType: OCI_MANIFEST });
    const immutablePush = async (ref: string) => {
      const tag = ref.slice(ref.lastIndexOf(":") + 1);
      if (store.tags.has(tag)) throw new Error(`tag invalid: The image tag '${tag}' already exists and cannot be overwritten because the repository is immutable.`);
      return pusher(DIGEST_A)(ref);
    };
    const out = await publishImage(registry(), { repository: "fruit-api", gitRevision: REV, runId: "r9" }, immutablePush);
    expect(out.revision).toBe("unchanged");
    expect(store.manifests.has(DIGEST_B)).toBe(false);
  });

  it("fails clearly when the revision tag holds another digest, and never overwrites it", async () => {
    store.tags.set(REV, DIGEST_A);
    store.manifests.set(DIGEST_A, { manifest: MANIFEST, mediaType: OCI_MANIFEST });
    const err = await publishImage(registry(), { repository: "fruit-api", gitRevision: REV, runId: "r3" }, pusher(DIGEST_B)).catch((e) => e);
    expect(err).toBeInstanceOf(TagConflictError);
    expect(err.message).toMatch(new RegExp(`^fruit-api:${REV} already holds ${DIGEST_A}, not ${DIGEST_B}\\. The same revision built to a different image`));
    expect(err.message).toMatch(/--source-date-epoch .* git log -1 --format=%ct\), or a build step that is not reproducible/);
    expect(err.message).toMatch(/dpra never moves a tag: an artifact is built once\. Deploy the stored digest, or build from a new revision\.$/);
    expect(store.tags.get(REV)).toBe(DIGEST_A);
    // The comparison image had only the temporary tag: removing it removed the image.
    expect(store.tags.has("dpra-verify-r3")).toBe(false);
    expect(store.manifests.has(DIGEST_B)).toBe(false);
    expect(ecr.commandCalls(PutImageCommand)).toHaveLength(0);
  });

  it("fails when another run wrote the revision tag with another digest during the push", async () => {
    const racing = async (ref: string) => {
      pushes.push(ref);
      store.tags.set(REV, DIGEST_B);
      return DIGEST_A;
    };
    const err = await publishImage(registry(), { repository: "fruit-api", gitRevision: REV, runId: "r4" }, racing).catch((e) => e);
    expect(err).toBeInstanceOf(TagConflictError);
    expect(err.message).toContain(`already holds ${DIGEST_B}, not ${DIGEST_A}`);
  });

  it("adds the release tag by digest (PutImage of the stored manifest), idempotently", async () => {
    const req = { repository: "fruit-api", gitRevision: REV, runId: "r5", releaseTag: "v1.2.0" };
    const first = await publishImage(registry(), req, pusher(DIGEST_A));
    expect(first.releaseTag).toEqual({ tag: "v1.2.0", result: "created" });
    const put = ecr.commandCalls(PutImageCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ imageTag: "v1.2.0", imageDigest: DIGEST_A, imageManifest: MANIFEST, imageManifestMediaType: OCI_MANIFEST });
    const again = await publishImage(registry(), { ...req, runId: "r6" }, pusher(DIGEST_A));
    expect(again.releaseTag).toEqual({ tag: "v1.2.0", result: "exists" });
    expect(ecr.commandCalls(PutImageCommand)).toHaveLength(1);
  });

  it("refuses to move a release tag that points at another digest", async () => {
    store.tags.set("v1.2.0", DIGEST_B);
    const err = await publishImage(registry(), { repository: "fruit-api", gitRevision: REV, runId: "r7", releaseTag: "v1.2.0" }, pusher(DIGEST_A)).catch((e) => e);
    expect(err).toBeInstanceOf(TagConflictError);
    expect(store.tags.get("v1.2.0")).toBe(DIGEST_B);
  });

  it("stops on AccessDenied with the role and the missing action, without retrying", async () => {
    ecr.on(DescribeImagesCommand).rejects(awsError("AccessDeniedException", "not authorized to perform: ecr:DescribeImages", 403));
    const err = await publishImage(registry(), { repository: "fruit-api", gitRevision: REV, runId: "r8" }, pusher(DIGEST_A)).catch((e) => e);
    expect(err.message).toMatch(new RegExp(`^AccessDeniedException: role ${ARTIFACT_ROLE} may not call ecr:DescribeImages on fruit-api\\.`));
    expect(ecr.commandCalls(DescribeImagesCommand)).toHaveLength(1);
    expect(pushes).toEqual([]);
  });

  it("rejects tags ECR would reject, before any call", async () => {
    await expect(publishImage(registry(), { repository: "fruit-api", gitRevision: "feature/x", runId: "r" }, pusher(DIGEST_A))).rejects.toThrow(
      /gitRevision "feature\/x" is not a valid image tag/,
    );
    expect(ecr.calls()).toHaveLength(0);
  });
});

describe("registry login", () => {
  it("decodes the token into user and password and the host", async () => {
    ecr.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [
        {
          authorizationToken: Buffer.from("AWS:pass:with:colons").toString("base64"),
          proxyEndpoint: `https://${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`,
          expiresAt: new Date("2026-11-26T20:00:00Z"),
        },
      ],
    });
    const login = await registryLogin(registry());
    expect(login).toEqual({
      host: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`,
      username: "AWS",
      password: "pass:with:colons",
      expiresAt: new Date("2026-11-26T20:00:00Z"),
    });
  });

  it("fails clearly on an empty answer", async () => {
    ecr.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [] });
    await expect(registryLogin(registry())).rejects.toThrow(`ECR GetAuthorizationToken for account ${ACCOUNT} in ${REGION} returned no token.`);
  });

  it("reads the digest from the reference Container.publish returns", () => {
    expect(digestOfReference(`${URI}:${REV}@${DIGEST_A}`)).toBe(DIGEST_A);
    expect(() => digestOfReference(`${URI}:${REV}`)).toThrow(/ending in @sha256/);
  });
});
