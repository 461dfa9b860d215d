// Push once, by the rules: a tag is written once and never moved; a rerun of the same build succeeds.
// The push itself is injected (the Dagger shell does it with the registry login as a Secret), so this
// decision logic runs in tests against the real SDK client with a mocked transport.
import { ecrSdk } from "../sdk.js";
import { ecrCall, repositoryUri, type Registry } from "./client.js";
import { decideTag, tagByDigest, tagState, TagConflictError, type TagState } from "./images.js";

/** Pushes the image to `ref` (`host/repo:tag`) and returns the digest the registry stored. */
export type PushImage = (ref: string) => Promise<string>;

export interface PublishRequest {
  repository: string;
  gitRevision: string;
  releaseTag?: string;
  /** Unique per pipeline run; names the temporary tag used to compare a rerun's digest. */
  runId: string;
}

export interface PublishOutcome {
  repositoryUri: string;
  digest: string;
  /** `repositoryUri@sha256:...`: what every later stage deploys. */
  reference: string;
  /** `pushed`: first publish of this revision. `unchanged`: the revision tag already held this digest. */
  revision: "pushed" | "unchanged";
  releaseTag?: { tag: string; result: "created" | "exists" };
}

/** A valid tag: 1 to 128 of [A-Za-z0-9_.-], not starting with . or -. */
export function assertTag(tag: string, what: string): void {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
    throw new Error(`${what} "${tag}" is not a valid image tag: use 1 to 128 letters, digits, _ . -, not starting with . or -.`);
  }
}

export function verificationTag(runId: string): string {
  return `dpra-verify-${runId.replace(/[^A-Za-z0-9_.-]/g, "-")}`.slice(0, 128);
}

export async function publishImage(registry: Registry, req: PublishRequest, push: PushImage): Promise<PublishOutcome> {
  assertTag(req.gitRevision, "gitRevision");
  if (req.releaseTag !== undefined) assertTag(req.releaseTag, "releaseTag");
  const uri = repositoryUri(registry.accountId, registry.region, req.repository);
  const before = await tagState(registry, req.repository, req.gitRevision);
  const digest = before.kind === "absent" ? await pushRevision(registry, req, uri, push) : await compareWithStored(registry, req, uri, before, push);
  const outcome: PublishOutcome = {
    repositoryUri: uri,
    digest,
    reference: `${uri}@${digest}`,
    revision: before.kind === "absent" ? "pushed" : "unchanged",
  };
  if (req.releaseTag !== undefined && req.releaseTag !== req.gitRevision) {
    outcome.releaseTag = { tag: req.releaseTag, result: await tagByDigest(registry, req.repository, digest, req.releaseTag) };
  }
  return outcome;
}

async function pushRevision(registry: Registry, req: PublishRequest, uri: string, push: PushImage): Promise<string> {
  const digest = await push(`${uri}:${req.gitRevision}`);
  // Another run may have pushed the same tag in between; the registry state is the truth.
  const after = await tagState(registry, req.repository, req.gitRevision);
  const decision = decideTag(after, digest, { repository: req.repository, tag: req.gitRevision });
  if (decision.kind === "conflict") throw new TagConflictError(decision.message);
  if (after.kind === "absent") throw new Error(`${req.repository}:${req.gitRevision} is missing right after the push of ${digest}; check the repository's lifecycle policy.`);
  return digest;
}

/**
 * The revision tag exists. Dagger cannot tell a container's digest without pushing it, so the image
 * is pushed under a run-specific tag, compared, and that tag removed again (which also deletes the
 * image when it differs, since it then has no other tag).
 */
async function compareWithStored(registry: Registry, req: PublishRequest, uri: string, stored: Extract<TagState, { kind: "present" }>, push: PushImage): Promise<string> {
  const tag = verificationTag(req.runId);
  const removeTag = () =>
    ecrCall(registry, "BatchDeleteImage", req.repository, async () =>
      registry.client.send(new (await ecrSdk()).BatchDeleteImageCommand({ repositoryName: req.repository, registryId: registry.accountId, imageIds: [{ imageTag: tag }] })),
    );
  // A retried CI run keeps its run ID: clear what an interrupted attempt may have left (immutable tags).
  await removeTag();
  let local: string;
  try {
    local = await push(`${uri}:${tag}`);
  } finally {
    await removeTag();
  }
  const decision = decideTag(stored, local, { repository: req.repository, tag: req.gitRevision });
  if (decision.kind === "conflict") throw new TagConflictError(decision.message);
  return stored.digest;
}
