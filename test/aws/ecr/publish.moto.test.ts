// Level 2 (moto over HTTP): publishing by the rules (src/aws/ecr/publish.ts, images.ts): a
// revision tag written once, a rerun of the same content accepted, different content refused, a
// release tag added by digest, with the real ECR SDK client against moto_server 5.2.1
// (test/support/moto.ts), in a repository that ensureRepository made (immutable tags).
//
// The push is injected by design (the Dagger shell pushes over the registry protocol, which moto
// does not serve). Here it stores a manifest with ECR's PutImage and returns the digest ECR
// computed, so what the push returns comes from moto, as a real push's digest comes from the
// registry. Layers are not uploaded. moto is an emulator, not AWS: its image digest is a hash of
// the manifest's layer digests (AWS: the SHA-256 of the manifest), so the test images differ in
// their layers.
import { DescribeImagesCommand, ECRClient, PutImageCommand } from "@aws-sdk/client-ecr";
import { beforeEach, expect, it } from "vitest";
import { baseIdentity } from "../../../src/aws/credentials/providers.js";
import { ecrRegistry, type Registry } from "../../../src/aws/ecr/client.js";
import { TagConflictError } from "../../../src/aws/ecr/images.js";
import { publishImage, verificationTag, type PushImage } from "../../../src/aws/ecr/publish.js";
import { desiredRepository, ensureRepository } from "../../../src/aws/ecr/repository.js";
import { ArtifactConfig } from "../../../src/config/sections/artifact.js";
import { MOTO_ACCOUNT, MOTO_REGION, motoClientConfig, resolveMoto, useMoto, useMotoEnvironment } from "../../support/moto.js";
import { describeReal } from "../../support/real.js";

const REPOSITORY = "moto-app";
const REVISION = "0123456789abcdef0123456789abcdef01234567";

/** A small OCI image manifest; `content` stands for what was built (moto derives the digest from the layers). */
function manifest(content: string): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: `sha256:${"c".repeat(64)}`, size: 100 },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: `sha256:${content.padEnd(64, "0")}`, size: 1000 }],
  });
}

describeReal(
  "moto",
  () => {
    const moto = useMoto();
    useMotoEnvironment(moto);
    let registry: Registry;
    let ecr: ECRClient;
    let pushes: string[];
    beforeEach(async () => {
      registry = ecrRegistry(
        baseIdentity({ kind: "keys", accessKeyId: "moto-caller-key", secretAccessKey: "moto-caller-secret" }, { sessionName: "dpra-test", region: MOTO_REGION }),
        MOTO_ACCOUNT,
        MOTO_REGION,
      );
      ecr = new ECRClient(motoClientConfig(moto()));
      pushes = [];
      const config = ArtifactConfig.parse({ ecr: { repository: REPOSITORY, account: MOTO_ACCOUNT, region: MOTO_REGION } });
      expect((await ensureRepository(registry, desiredRepository(config.ecr), { apply: false })).created).toBe(true);
    });
    /** The injected push: stores the manifest under the ref's tag and returns ECR's digest. */
    const pushOf =
      (content: string): PushImage =>
      async (ref) => {
        pushes.push(ref);
        const tag = ref.slice(ref.lastIndexOf(":") + 1);
        const out = await ecr.send(
          new PutImageCommand({
            repositoryName: REPOSITORY,
            imageManifest: manifest(content),
            imageManifestMediaType: "application/vnd.oci.image.manifest.v1+json",
            imageTag: tag,
          }),
        );
        return out.image?.imageId?.imageDigest ?? "";
      };
    const tagsOf = async (digest: string) =>
      (await ecr.send(new DescribeImagesCommand({ repositoryName: REPOSITORY, imageIds: [{ imageDigest: digest }] }))).imageDetails?.[0]?.imageTags?.sort() ?? [];

    it("a first publish pushes the revision tag, adds the release tag by digest, and returns the reference by digest", async () => {
      const outcome = await publishImage(registry, { repository: REPOSITORY, gitRevision: REVISION, releaseTag: "v1.2.0", runId: "run-1" }, pushOf("aa"));
      const uri = `${MOTO_ACCOUNT}.dkr.ecr.${MOTO_REGION}.amazonaws.com/${REPOSITORY}`;
      expect(outcome.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(outcome).toEqual({
        repositoryUri: uri,
        digest: outcome.digest,
        reference: `${uri}@${outcome.digest}`,
        revision: "pushed",
        releaseTag: { tag: "v1.2.0", result: "created" },
      });
      expect(pushes).toEqual([`${uri}:${REVISION}`]);
      expect(await tagsOf(outcome.digest)).toEqual([REVISION, "v1.2.0"]);
    });

    it("a rerun of the same content is accepted unchanged, and its verification tag is gone afterwards", async () => {
      const first = await publishImage(registry, { repository: REPOSITORY, gitRevision: REVISION, releaseTag: "v1.2.0", runId: "run-1" }, pushOf("aa"));
      const again = await publishImage(registry, { repository: REPOSITORY, gitRevision: REVISION, releaseTag: "v1.2.0", runId: "run-2" }, pushOf("aa"));
      expect(again).toMatchObject({ digest: first.digest, revision: "unchanged", releaseTag: { tag: "v1.2.0", result: "exists" } });
      expect(pushes[1]).toBe(`${first.repositoryUri}:${verificationTag("run-2")}`);
      expect(await tagsOf(first.digest)).toEqual([REVISION, "v1.2.0"]);
    });

    it("a rerun whose content differs is refused: the revision tag keeps its digest and the pushed image is removed", async () => {
      const first = await publishImage(registry, { repository: REPOSITORY, gitRevision: REVISION, runId: "run-1" }, pushOf("aa"));
      const error = await publishImage(registry, { repository: REPOSITORY, gitRevision: REVISION, runId: "run-2" }, pushOf("bb")).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TagConflictError);
      expect((error as Error).message).toMatch(
        new RegExp(`^${REPOSITORY}:${REVISION} already holds ${first.digest}, not sha256:[0-9a-f]{64}\\. The same revision built to a different image.*dpra never moves a tag`),
      );
      expect(await tagsOf(first.digest)).toEqual([REVISION]);
      const images = (await ecr.send(new DescribeImagesCommand({ repositoryName: REPOSITORY }))).imageDetails ?? [];
      expect(images.map((i) => i.imageDigest)).toEqual([first.digest]);
    });
  },
  resolveMoto,
);
