// Tags and digests in one repository: what a tag points to, tagging an image by digest without
// pulling it, and the registry login token.
import type { Image } from "@aws-sdk/client-ecr";
import { trailingDigest } from "../../digest.js";
import { ecrSdk } from "../sdk.js";
import { codeOf, ecrCall, optional, type Registry } from "./client.js";

export type TagState = { kind: "absent" } | { kind: "present"; digest: string };

/** What `tag` points to in the repository. */
export async function tagState(registry: Registry, repository: string, tag: string): Promise<TagState> {
  const out = await optional("ImageNotFoundException", () =>
    ecrCall(registry, "DescribeImages", repository, async () =>
      registry.client.send(new (await ecrSdk()).DescribeImagesCommand({ repositoryName: repository, registryId: registry.accountId, imageIds: [{ imageTag: tag }] })),
    ),
  );
  const digest = out?.imageDetails?.[0]?.imageDigest;
  return digest ? { kind: "present", digest } : { kind: "absent" };
}

export type TagDecision = { kind: "create" } | { kind: "exists" } | { kind: "conflict"; message: string };

/** Given what the tag holds now, what to do to make it point at `digest`. Tags are never moved. */
export function decideTag(state: TagState, digest: string, where: { repository: string; tag: string }): TagDecision {
  if (state.kind === "absent") return { kind: "create" };
  if (state.digest === digest) return { kind: "exists" };
  return {
    kind: "conflict",
    message:
      `${where.repository}:${where.tag} already holds ${state.digest}, not ${digest}. ` +
      "The same revision built to a different image, so something besides the source went into it: a different " +
      "--source-date-epoch than the first publish (pass the commit time, git log -1 --format=%ct), or a build step " +
      "that is not reproducible (an unpinned base image or dependency, a timestamp or random value written at build time). " +
      "dpra never moves a tag: an artifact is built once. Deploy the stored digest, or build from a new revision.",
  };
}

export class TagConflictError extends Error {
  override name = "TagConflictError";
}

/** Reads an image manifest by digest (no layers are pulled). */
export async function getManifest(registry: Registry, repository: string, digest: string): Promise<{ manifest: string; mediaType?: string }> {
  const out = await ecrCall(registry, "BatchGetImage", repository, async () =>
    registry.client.send(
      new (await ecrSdk()).BatchGetImageCommand({
        repositoryName: repository,
        registryId: registry.accountId,
        imageIds: [{ imageDigest: digest }],
        acceptedMediaTypes: [
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json",
          "application/vnd.docker.distribution.manifest.list.v2+json",
        ],
      }),
    ),
  );
  const image: Image | undefined = out.images?.[0];
  if (!image?.imageManifest) {
    const failure = out.failures?.[0];
    throw new Error(`ECR ${repository}@${digest}: no manifest (${failure?.failureCode ?? "not returned"}${failure?.failureReason ? `: ${failure.failureReason}` : ""}).`);
  }
  return { manifest: image.imageManifest, ...(image.imageManifestMediaType ? { mediaType: image.imageManifestMediaType } : {}) };
}

/** Puts a manifest under a tag (or only by digest when `tag` is undefined); returns the digest ECR computed. */
export async function putManifest(
  registry: Registry,
  repository: string,
  manifest: { manifest: string; mediaType?: string },
  digest: string,
  tag: string | undefined,
): Promise<string> {
  try {
    const out = await ecrCall(registry, "PutImage", repository, async () =>
      registry.client.send(
        new (await ecrSdk()).PutImageCommand({
          repositoryName: repository,
          registryId: registry.accountId,
          imageManifest: manifest.manifest,
          ...(manifest.mediaType ? { imageManifestMediaType: manifest.mediaType } : {}),
          imageDigest: digest,
          ...(tag ? { imageTag: tag } : {}),
        }),
      ),
    );
    return out.image?.imageId?.imageDigest ?? digest;
  } catch (err) {
    // Same manifest and tag already there: the idempotent rerun case.
    if (codeOf(err) === "ImageAlreadyExistsException") return digest;
    throw err;
  }
}

/** Points `tag` at `digest` within one repository (a re-tag by digest). Fails rather than move a tag. */
export async function tagByDigest(registry: Registry, repository: string, digest: string, tag: string): Promise<"created" | "exists"> {
  const decision = decideTag(await tagState(registry, repository, tag), digest, { repository, tag });
  if (decision.kind === "conflict") throw new TagConflictError(decision.message);
  if (decision.kind === "exists") return "exists";
  const manifest = await getManifest(registry, repository, digest);
  const put = await putManifest(registry, repository, manifest, digest, tag);
  if (put !== digest) throw new Error(`ECR ${repository}:${tag}: PutImage stored ${put}, expected ${digest}.`);
  return "created";
}

/** Registry login, fetched just before use: the token is valid for 12 hours. Keep `password` in a Secret. */
export interface RegistryLogin {
  host: string;
  username: string;
  password: string;
  expiresAt?: Date;
}

export async function registryLogin(registry: Registry): Promise<RegistryLogin> {
  const out = await ecrCall(registry, "GetAuthorizationToken", undefined, async () => registry.client.send(new (await ecrSdk()).GetAuthorizationTokenCommand({})));
  const data = out.authorizationData?.[0];
  if (!data?.authorizationToken || !data.proxyEndpoint) {
    throw new Error(`ECR GetAuthorizationToken for account ${registry.accountId} in ${registry.region} returned no token.`);
  }
  const decoded = Buffer.from(data.authorizationToken, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) throw new Error("ECR GetAuthorizationToken returned a token that is not user:password encoded.");
  return {
    host: data.proxyEndpoint.replace(/^https?:\/\//, "").replace(/\/+$/, ""),
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
    ...(data.expiresAt ? { expiresAt: data.expiresAt } : {}),
  };
}

/** The digest in a reference `host/repo:tag@sha256:...`, as `Container.publish` returns it. */
export function digestOfReference(ref: string): string {
  const digest = trailingDigest(ref.trim());
  if (!digest) throw new Error(`Expected an image reference ending in @sha256:<64 hex digits>, got "${ref}".`);
  return digest;
}
