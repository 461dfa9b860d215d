// Promotion without rebuild: the same digest, in another repository, account or region.
// Routes, in order of preference:
//   same-repository  re-tag by digest with PutImage (nothing is copied);
//   replication      ECR replication already copies the image: wait for the digest in the target;
//   copy             copy blobs through the ECR API (GetDownloadUrlForLayer -> layer upload) and
//                    PutImage the unchanged manifest, which keeps the digest. A pull and re-push
//                    would re-export the image and may change its digest, so it is not used.
// Every route ends by reading the digest back from the target and comparing it with the source.
import {
  BatchCheckLayerAvailabilityCommand,
  CompleteLayerUploadCommand,
  DescribeImagesCommand,
  DescribeRegistryCommand,
  GetDownloadUrlForLayerCommand,
  InitiateLayerUploadCommand,
  UploadLayerPartCommand,
  type ReplicationRule,
} from "@aws-sdk/client-ecr";
import { realSleep } from "../retry.js";
import { ecrCall, repositoryUri, type Registry } from "./client.js";
import { getManifest, putManifest, tagByDigest } from "./images.js";
import { codeOf } from "./repository.js";

export interface ImageLocation {
  registry: Registry;
  repository: string;
}

export type PromotionRoute = "same-repository" | "replication" | "copy";

export interface PromotionOutcome {
  route: PromotionRoute;
  digest: string;
  /** `targetUri@sha256:...` */
  reference: string;
  tag?: string;
  /** Blobs uploaded by the copy route (0 when the target had them all). */
  copiedBlobs: number;
}

export class DigestMismatchError extends Error {
  override name = "DigestMismatchError";
}

/** Does a replication rule of the source registry send `repository` to the target registry? */
export function replicates(rules: readonly ReplicationRule[], repository: string, target: { accountId: string; region: string }): boolean {
  return rules.some(
    (rule) =>
      (rule.destinations ?? []).some((d) => d.region === target.region && d.registryId === target.accountId) &&
      ((rule.repositoryFilters ?? []).length === 0 ||
        (rule.repositoryFilters ?? []).some((f) => f.filterType === "PREFIX_MATCH" && f.filter !== undefined && repository.startsWith(f.filter))),
  );
}

/** Picks the route. Pure: `rules` are the source registry's replication rules. */
export function choosePromotionRoute(source: ImageLocation, target: ImageLocation, rules: readonly ReplicationRule[]): PromotionRoute {
  const sameRegistry = source.registry.accountId === target.registry.accountId && source.registry.region === target.registry.region;
  if (sameRegistry && source.repository === target.repository) return "same-repository";
  // Replication keeps the repository name.
  if (!sameRegistry && source.repository === target.repository && replicates(rules, source.repository, target.registry)) return "replication";
  return "copy";
}

export interface PromoteOptions {
  digest: string;
  /** Tag to give the image in the target (e.g. the git revision). */
  tag?: string;
  /** How long to wait for replication. */
  replicationWaitSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Streams a blob from a pre-signed URL; defaults to fetch. */
  download?: (url: string) => AsyncIterable<Uint8Array>;
}

export async function promoteImage(source: ImageLocation, target: ImageLocation, opts: PromoteOptions): Promise<PromotionOutcome> {
  const sameRegistry = source.registry.accountId === target.registry.accountId && source.registry.region === target.registry.region;
  const rules = sameRegistry ? [] : await replicationRules(source.registry);
  const route = choosePromotionRoute(source, target, rules);
  let copiedBlobs = 0;
  if (route === "replication") {
    await waitForDigest(target, opts.digest, opts.replicationWaitSeconds ?? 600, opts.sleep ?? realSleep);
  } else if (route === "copy") {
    copiedBlobs = await copyImage(source, target, opts.digest, opts.download ?? fetchBlob);
  }
  if (opts.tag !== undefined) await tagByDigest(target.registry, target.repository, opts.digest, opts.tag);
  await verifyDigest(target, opts.digest, opts.tag);
  const uri = repositoryUri(target.registry.accountId, target.registry.region, target.repository);
  return { route, digest: opts.digest, reference: `${uri}@${opts.digest}`, ...(opts.tag ? { tag: opts.tag } : {}), copiedBlobs };
}

async function replicationRules(registry: Registry): Promise<ReplicationRule[]> {
  const out = await ecrCall(registry, "DescribeRegistry", undefined, () => registry.client.send(new DescribeRegistryCommand({})));
  return out.replicationConfiguration?.rules ?? [];
}

/** Polls the target until the digest appears (replication is asynchronous). Bounded; exponential backoff. */
async function waitForDigest(target: ImageLocation, digest: string, waitSeconds: number, sleep: (ms: number) => Promise<void>): Promise<void> {
  let waited = 0;
  for (let attempt = 0; ; attempt++) {
    if ((await digestIn(target, { imageDigest: digest })) === digest) return;
    if (waited >= waitSeconds * 1000) {
      throw new Error(
        `ECR replication: ${target.repository}@${digest} did not appear in account ${target.registry.accountId} ${target.registry.region} ` +
          `within ${waitSeconds} s. Check the registry's replication status (DescribeImageReplicationStatus) and rerun the promotion.`,
      );
    }
    const delay = Math.min(30_000, 2_000 * 2 ** attempt, waitSeconds * 1000 - waited);
    await sleep(delay);
    waited += delay;
  }
}

/** The digest the target holds for an image ID, or undefined when the image (or the repository) is not there. */
async function digestIn(target: ImageLocation, imageId: { imageDigest?: string; imageTag?: string }): Promise<string | undefined> {
  try {
    const out = await ecrCall(target.registry, "DescribeImages", target.repository, () =>
      target.registry.client.send(
        new DescribeImagesCommand({ repositoryName: target.repository, registryId: target.registry.accountId, imageIds: [imageId] }),
      ),
    );
    return out.imageDetails?.[0]?.imageDigest;
  } catch (err) {
    const code = codeOf(err);
    if (code === "ImageNotFoundException" || code === "RepositoryNotFoundException") return undefined;
    throw err;
  }
}

async function verifyDigest(target: ImageLocation, digest: string, tag: string | undefined): Promise<void> {
  const found = await digestIn(target, tag !== undefined ? { imageTag: tag } : { imageDigest: digest });
  if (found !== digest) {
    const where = `${target.repository}${tag !== undefined ? `:${tag}` : `@${digest}`} in account ${target.registry.accountId} ${target.registry.region}`;
    throw new DigestMismatchError(
      `Promotion check failed: ${where} holds ${found ?? "nothing"}, expected ${digest} from the source. ` +
        "The image deployed must be the one that was built and tested; nothing was deployed. Investigate the target repository before rerunning.",
    );
  }
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
}

/** The blobs a single-platform manifest references: its config and layers. */
export function manifestBlobs(manifestText: string, mediaType: string | undefined): Descriptor[] {
  const parsed = JSON.parse(manifestText) as { mediaType?: string; manifests?: unknown; config?: Descriptor; layers?: Descriptor[] };
  const type = mediaType ?? parsed.mediaType ?? "";
  if (parsed.manifests !== undefined || type.includes("index") || type.includes("manifest.list")) {
    throw new Error(
      "Promotion copy: the image is a multi-platform index. Configure ECR replication to the target registry " +
        "(it copies every platform), or publish a single-platform image.",
    );
  }
  if (!parsed.config?.digest || !Array.isArray(parsed.layers)) {
    throw new Error("Promotion copy: the source manifest has no config or layers; it is not an image manifest dpra can copy.");
  }
  return [parsed.config, ...parsed.layers];
}

async function copyImage(
  source: ImageLocation,
  target: ImageLocation,
  digest: string,
  download: (url: string) => AsyncIterable<Uint8Array>,
): Promise<number> {
  const manifest = await getManifest(source.registry, source.repository, digest);
  const blobs = manifestBlobs(manifest.manifest, manifest.mediaType);
  const availability = await ecrCall(target.registry, "BatchCheckLayerAvailability", target.repository, () =>
    target.registry.client.send(
      new BatchCheckLayerAvailabilityCommand({
        repositoryName: target.repository,
        registryId: target.registry.accountId,
        layerDigests: blobs.map((b) => b.digest),
      }),
    ),
  );
  const present = new Set((availability.layers ?? []).filter((l) => l.layerAvailability === "AVAILABLE").map((l) => l.layerDigest));
  const missing = blobs.filter((b) => !present.has(b.digest));
  for (const blob of missing) await copyBlob(source, target, blob.digest, download);
  const stored = await putManifest(target.registry, target.repository, manifest, digest, undefined);
  if (stored !== digest) {
    throw new DigestMismatchError(`Promotion copy: the target stored the manifest as ${stored}, expected ${digest}.`);
  }
  return missing.length;
}

async function copyBlob(source: ImageLocation, target: ImageLocation, digest: string, download: (url: string) => AsyncIterable<Uint8Array>): Promise<void> {
  const url = await ecrCall(source.registry, "GetDownloadUrlForLayer", source.repository, () =>
    source.registry.client.send(
      new GetDownloadUrlForLayerCommand({ repositoryName: source.repository, registryId: source.registry.accountId, layerDigest: digest }),
    ),
  );
  if (!url.downloadUrl) throw new Error(`ECR GetDownloadUrlForLayer returned no URL for ${source.repository} blob ${digest}.`);
  const started = await ecrCall(target.registry, "InitiateLayerUpload", target.repository, () =>
    target.registry.client.send(new InitiateLayerUploadCommand({ repositoryName: target.repository, registryId: target.registry.accountId })),
  );
  const uploadId = started.uploadId;
  if (!uploadId) throw new Error(`ECR InitiateLayerUpload returned no upload ID for ${target.repository}.`);
  const partSize = Math.max(started.partSize ?? 0, 5 * 1024 * 1024);
  let offset = 0;
  const sendPart = async (part: Uint8Array) => {
    const first = offset;
    await ecrCall(target.registry, "UploadLayerPart", target.repository, () =>
      target.registry.client.send(
        new UploadLayerPartCommand({
          repositoryName: target.repository,
          registryId: target.registry.accountId,
          uploadId,
          partFirstByte: first,
          partLastByte: first + part.length - 1,
          layerPartBlob: part,
        }),
      ),
    );
    offset += part.length;
  };
  for await (const part of rechunk(download(url.downloadUrl), partSize)) await sendPart(part);
  try {
    await ecrCall(target.registry, "CompleteLayerUpload", target.repository, () =>
      target.registry.client.send(
        new CompleteLayerUploadCommand({ repositoryName: target.repository, registryId: target.registry.accountId, uploadId, layerDigests: [digest] }),
      ),
    );
  } catch (err) {
    // Uploaded concurrently by another run: the blob is there, which is all that matters.
    if (codeOf(err) !== "LayerAlreadyExistsException") throw err;
  }
}

/** Regroups a byte stream into parts of `size` bytes (the last may be smaller), holding one part in memory. */
export async function* rechunk(stream: AsyncIterable<Uint8Array>, size: number): AsyncIterable<Uint8Array> {
  let buffer = new Uint8Array(size);
  let filled = 0;
  for await (const chunk of stream) {
    let read = 0;
    while (read < chunk.length) {
      const n = Math.min(size - filled, chunk.length - read);
      buffer.set(chunk.subarray(read, read + n), filled);
      filled += n;
      read += n;
      if (filled === size) {
        yield buffer;
        buffer = new Uint8Array(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}

async function* fetchBlob(url: string): AsyncIterable<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`Downloading a layer from ECR failed: HTTP ${response.status}.`);
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) yield chunk;
}

