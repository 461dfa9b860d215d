// Shared test setup for ECR logic: real SDK v3 clients, transport mocked by aws-sdk-client-mock.
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
  ImageAlreadyExistsException,
  ImageNotFoundException,
  PutImageCommand,
} from "@aws-sdk/client-ecr";
import { mockClient } from "aws-sdk-client-mock";
import { ecrRegistry, type Registry } from "../../src/aws/ecr/client.js";
import { lifecyclePolicy } from "../../src/aws/ecr/policies.js";

export const ACCOUNT = "111111111111";
export const GAMMA = "222222222222";
export const PROD = "333333333333";
export const REGION = "eu-west-1";
export const ARTIFACT_ROLE = `arn:aws:iam::${ACCOUNT}:role/dpra-artifact`;
export const GAMMA_ROLE = `arn:aws:iam::${GAMMA}:role/dpra-gamma`;

/** Digests made for tests: clearly fake, correctly shaped. */
export const DIGEST_A = `sha256:${"a".repeat(64)}`;
export const DIGEST_B = `sha256:${"b".repeat(64)}`;

export const noSleep = async (): Promise<void> => {};

export function ecrMock() {
  return mockClient(ECRClient);
}

/** A registry whose calls are attributed to `role` in messages; retries without real delays. */
export function registry(accountId = ACCOUNT, region = REGION, role = ARTIFACT_ROLE, sleeps: number[] = []): Registry {
  return ecrRegistry({ credentials: async () => ({ accessKeyId: "AKIDTESTONLY", secretAccessKey: "test-secret" }), principal: `role ${role}` }, accountId, region, {
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 1,
  });
}

/** An AWS error as the SDK raises it (name = error code, $metadata with the HTTP status). */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: httpStatusCode >= 500 ? "server" : "client", $metadata: { httpStatusCode, requestId: "req-1" } });
}

/**
 * A minimal in-memory image store behind the mocked client, for one registry (account) at a time:
 * tags -> digests, digests -> manifests. DescribeImages, BatchGetImage, PutImage and BatchDeleteImage
 * behave as ECR documents them (ImageNotFoundException, failures[], ImageAlreadyExistsException).
 */
export interface FakeStore {
  tags: Map<string, string>;
  manifests: Map<string, { manifest: string; mediaType: string }>;
}

export function storeFor(ecr: ReturnType<typeof ecrMock>, stores: Record<string, FakeStore>): void {
  const pick = (registryId: string | undefined) => {
    const store = stores[registryId ?? ACCOUNT];
    if (!store) throw new Error(`test store: no registry ${registryId}`);
    return store;
  };
  ecr.on(DescribeImagesCommand).callsFake((input: { registryId?: string; repositoryName: string; imageIds: Array<{ imageTag?: string; imageDigest?: string }> }) => {
    const store = pick(input.registryId);
    const id = input.imageIds[0]!;
    const digest = id.imageTag !== undefined ? store.tags.get(id.imageTag) : store.manifests.has(id.imageDigest!) ? id.imageDigest : undefined;
    if (!digest) throw new ImageNotFoundException({ message: `The image with imageId ${JSON.stringify(id)} does not exist`, $metadata: {} });
    const tags = [...store.tags].filter(([, d]) => d === digest).map(([t]) => t);
    return { imageDetails: [{ repositoryName: input.repositoryName, imageDigest: digest, imageTags: tags }] };
  });
  ecr.on(BatchGetImageCommand).callsFake((input: { registryId?: string; imageIds: Array<{ imageDigest?: string }> }) => {
    const store = pick(input.registryId);
    const digest = input.imageIds[0]!.imageDigest!;
    const m = store.manifests.get(digest);
    if (!m) return { images: [], failures: [{ imageId: { imageDigest: digest }, failureCode: "ImageNotFound", failureReason: "Requested image not found" }] };
    return { images: [{ imageId: { imageDigest: digest }, imageManifest: m.manifest, imageManifestMediaType: m.mediaType }], failures: [] };
  });
  ecr.on(PutImageCommand).callsFake((input: { registryId?: string; imageManifest: string; imageManifestMediaType?: string; imageTag?: string; imageDigest?: string }) => {
    const store = pick(input.registryId);
    const digest = input.imageDigest!;
    if (input.imageTag && store.tags.get(input.imageTag) === digest) {
      throw new ImageAlreadyExistsException({ message: "Image already exists", $metadata: {} });
    }
    store.manifests.set(digest, { manifest: input.imageManifest, mediaType: input.imageManifestMediaType ?? "" });
    if (input.imageTag) store.tags.set(input.imageTag, digest);
    return { image: { imageId: { imageDigest: digest, imageTag: input.imageTag } } };
  });
  ecr.on(BatchDeleteImageCommand).callsFake((input: { registryId?: string; imageIds: Array<{ imageTag?: string }> }) => {
    const store = pick(input.registryId);
    const tag = input.imageIds[0]!.imageTag!;
    const digest = store.tags.get(tag);
    if (!digest) return { imageIds: [], failures: [{ imageId: { imageTag: tag }, failureCode: "ImageNotFound" }] };
    store.tags.delete(tag);
    if (![...store.tags.values()].includes(digest)) store.manifests.delete(digest);
    return { imageIds: [{ imageTag: tag, imageDigest: digest }], failures: [] };
  });
}

export function emptyStore(): FakeStore {
  return { tags: new Map(), manifests: new Map() };
}

/** A single-platform OCI manifest with a config and two layers (digests made for tests). */
export const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: `sha256:${"c".repeat(64)}`, size: 1234 },
  layers: [
    { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: `sha256:${"1".repeat(64)}`, size: 12 },
    { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: `sha256:${"2".repeat(64)}`, size: 7 },
  ],
});
export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

/**
 * An existing `fruit-api` repository that matches the default config (immutable tags, scan on push,
 * AES256, lifecycle 50/7), a login token for `password` at `host`, and a completed, empty scan.
 */
export function stubCompliantRepository(ecr: ReturnType<typeof ecrMock>, host: string, password: string): void {
  ecr.on(GetRegistryScanningConfigurationCommand).resolves({ scanningConfiguration: { scanType: "BASIC" } });
  ecr.on(DescribeRepositoriesCommand).resolves({
    repositories: [
      {
        repositoryName: "fruit-api",
        repositoryUri: `${host}/fruit-api`,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: "AES256" },
      },
    ],
  });
  ecr.on(GetLifecyclePolicyCommand).resolves({ lifecyclePolicyText: JSON.stringify(lifecyclePolicy(50, 7)) });
  ecr.on(GetAuthorizationTokenCommand).resolves({
    authorizationData: [{ authorizationToken: Buffer.from(`AWS:${password}`).toString("base64"), proxyEndpoint: `https://${host}` }],
  });
  ecr.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: "COMPLETE" }, imageScanFindings: { findings: [] } });
}
