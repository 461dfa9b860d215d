// The copy route of promotion: blobs the target lacks are streamed from a pre-signed download URL
// of the source into the target's layer upload, then the unchanged manifest is put, so the digest
// is the same by construction (a pull and re-push could re-export the image with another digest).
import { DigestMismatchError } from "../../digest.js";
import { ecrSdk } from "../sdk.js";
import { codeOf, ecrCall, type Registry } from "./client.js";
import { getManifest, putManifest } from "./images.js";
import { errorMessage } from "../../errors.js";

export interface ImageLocation {
  registry: Registry;
  repository: string;
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
}

/** The blobs a single-platform manifest references: its config and layers. */
export function manifestBlobs(manifestText: string, mediaType: string | undefined): Descriptor[] {
  let parsed: { mediaType?: string; manifests?: unknown; config?: Descriptor; layers?: Descriptor[] };
  try {
    parsed = JSON.parse(manifestText) as typeof parsed;
  } catch (err) {
    throw new Error(`Promotion copy: the source manifest is not JSON (${errorMessage(err)}).`, { cause: err });
  }
  const type = mediaType ?? parsed.mediaType ?? "";
  if (parsed.manifests !== undefined || type.includes("index") || type.includes("manifest.list")) {
    throw new Error(
      "Promotion copy: the image is a multi-platform index. Configure ECR replication to the target registry " + "(it copies every platform), or publish a single-platform image.",
    );
  }
  if (!parsed.config?.digest || !Array.isArray(parsed.layers)) {
    throw new Error("Promotion copy: the source manifest has no config or layers; it is not an image manifest dpra can copy.");
  }
  return [parsed.config, ...parsed.layers];
}

/** Copies one single-platform image by digest; returns how many blobs were uploaded. */
export async function copyImage(source: ImageLocation, target: ImageLocation, digest: string, download: (url: string) => AsyncIterable<Uint8Array>): Promise<number> {
  const manifest = await getManifest(source.registry, source.repository, digest);
  const blobs = manifestBlobs(manifest.manifest, manifest.mediaType);
  const availability = await ecrCall(target.registry, "BatchCheckLayerAvailability", target.repository, async () =>
    target.registry.client.send(
      new (await ecrSdk()).BatchCheckLayerAvailabilityCommand({
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
  const url = await ecrCall(source.registry, "GetDownloadUrlForLayer", source.repository, async () =>
    source.registry.client.send(
      new (await ecrSdk()).GetDownloadUrlForLayerCommand({ repositoryName: source.repository, registryId: source.registry.accountId, layerDigest: digest }),
    ),
  );
  if (!url.downloadUrl) throw new Error(`ECR GetDownloadUrlForLayer returned no URL for ${source.repository} blob ${digest}.`);
  const started = await ecrCall(target.registry, "InitiateLayerUpload", target.repository, async () =>
    target.registry.client.send(new (await ecrSdk()).InitiateLayerUploadCommand({ repositoryName: target.repository, registryId: target.registry.accountId })),
  );
  const uploadId = started.uploadId;
  if (!uploadId) throw new Error(`ECR InitiateLayerUpload returned no upload ID for ${target.repository}.`);
  const partSize = Math.max(started.partSize ?? 0, 5 * 1024 * 1024);
  let offset = 0;
  const sendPart = async (part: Uint8Array) => {
    const first = offset;
    await ecrCall(target.registry, "UploadLayerPart", target.repository, async () =>
      target.registry.client.send(
        new (await ecrSdk()).UploadLayerPartCommand({
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
    await ecrCall(target.registry, "CompleteLayerUpload", target.repository, async () =>
      target.registry.client.send(
        new (await ecrSdk()).CompleteLayerUploadCommand({ repositoryName: target.repository, registryId: target.registry.accountId, uploadId, layerDigests: [digest] }),
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

export async function* fetchBlob(url: string): AsyncIterable<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`Downloading a layer from ECR failed: HTTP ${response.status}.`);
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) yield chunk;
}
