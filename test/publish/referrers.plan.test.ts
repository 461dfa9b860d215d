// Plan tests of the OCI referrers publish attaches (SBOM, provenance): the real Dagger SDK talks to a
// loopback fake engine that records every request. Nothing is pulled or pushed, ORAS never runs:
// these prove what publish asks the engine to run (image, arguments, mounts, secrets) and how it
// reads the answers, including a registry that refuses the attach.
import { createHash } from "node:crypto";
import { GetAuthorizationTokenCommand } from "@aws-sdk/client-ecr";
import { dag } from "@dagger.io/dagger";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ORAS_IMAGE, PROVENANCE_ARTIFACT_TYPE, REGISTRY_CONFIG_PATH, SBOM_ARTIFACT_TYPE } from "../../src/publish/referrers.dagger.js";
import { publishShell } from "../../src/publish/publish.dagger.js";
import { FakeEngine, type Leaf } from "../support/fake-engine.js";
import { execsOf, isPinned, Plan } from "../support/plan.js";
import { ACCOUNT, DIGEST_A, ecrMock, emptyStore, MANIFEST, OCI_MANIFEST, REGION, storeFor, stubCompliantRepository, type FakeStore } from "../support/ecr-stubs.js";

const HOST = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
const SUBJECT = `${HOST}/fruit-api@${DIGEST_A}`;
const REV = "0123456789abcdef0123456789abcdef01234567";
const PASSWORD = "eyJwYXlsb2FkIjoicmVmZXJyZXJzLXBsYW4tdGVzdCJ9";
const KEY_ID = "AKIAREFERRERSTEST001";
const SECRET_KEY = "rEferrersTestSecretAccessKey/0123456789+AB";
const SBOM = JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.6", components: [] });
const DPRA_YAML = `
name: fruit-api
artifact:
  ecr:
    repository: fruit-api
    account: "${ACCOUNT}"
    region: ${REGION}
`;

let engine: FakeEngine | undefined;
let ecr: ReturnType<typeof ecrMock>;
let store: FakeStore;
/** Artifact types whose attach the fake registry refuses (exit 1 with the registry's answer on stderr). */
let refused: Set<string>;

const flagValue = (args: string[], flag: string) => args[args.indexOf(flag) + 1];
const orasExecs = (leaf: Leaf) => leaf.calls.filter((c) => c.field === "withExec" && (c.args.args as string[])[0] === "oras").map((c) => c.args.args as string[]);
/** Whether the registry lists attached referrers through the referrers API (false: it answers "unsupported"). */
let listsReferrers: boolean;

/** The manifest ORAS would export for this attach: an OCI image manifest naming the subject. */
function referrerManifest(args: string[]): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    artifactType: flagValue(args, "--artifact-type"),
    config: { mediaType: "application/vnd.oci.empty.v1+json", digest: `sha256:${"4".repeat(64)}`, size: 2 },
    layers: [],
    subject: { mediaType: OCI_MANIFEST, digest: args.at(-2)!.split("@")[1], size: MANIFEST.length },
  });
}

function answer(leaf: Leaf): unknown {
  if (leaf.field === "entries") return ["dpra.yaml", "package.json"];
  if (leaf.field === "contents" && leaf.calls.some((c) => c.field === "file" && c.args.path === "dpra.yaml")) return DPRA_YAML;
  if (leaf.field === "contents" && leaf.calls.some((c) => c.field === "file" && c.args.path === "sbom.json")) return SBOM;
  if (leaf.field === "plaintext") return leaf.calls.find((c) => c.field === "setSecret")?.args.plaintext;
  if (leaf.field === "publish") {
    const address = String(leaf.args.address);
    store.tags.set(address.slice(address.lastIndexOf(":") + 1), DIGEST_A);
    store.manifests.set(DIGEST_A, { manifest: MANIFEST, mediaType: OCI_MANIFEST });
    return `${address}@${DIGEST_A}`;
  }
  const [attach, discover] = orasExecs(leaf);
  if (attach && discover) {
    if (leaf.field === "exitCode") return listsReferrers ? 0 : 1;
    if (leaf.field === "stderr") return listsReferrers ? "" : "Error: failed to query referrers API: unsupported";
    if (leaf.field === "stdout") {
      const digest = referrerManifest(attach);
      return JSON.stringify({
        digest: DIGEST_A,
        referrers: [{ digest: sha256(digest), mediaType: "application/vnd.oci.image.manifest.v1+json", artifactType: flagValue(attach, "--artifact-type") }],
      });
    }
  } else if (attach) {
    const isRefused = refused.has(flagValue(attach, "--artifact-type")!);
    if (leaf.field === "exitCode") return isRefused ? 1 : 0;
    if (leaf.field === "stderr") return isRefused ? "Error: failed to push: PUT manifest: 405 Method Not Allowed" : "";
    if (leaf.field === "contents") return referrerManifest(attach);
  }
  return undefined;
}

const sha256 = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;

function publish(opts: { sbom: boolean; attachReferrers?: boolean }) {
  return publishShell({
    image: dag.container().from(`node:22-alpine@sha256:${"d".repeat(64)}`),
    gitRevision: REV,
    source: dag.directory(),
    runId: "run-77",
    waitForScan: false,
    enforceGate: true,
    ...(opts.attachReferrers === undefined ? {} : { attachReferrers: opts.attachReferrers }),
    ...(opts.sbom ? { sbom: dag.directory().withNewFile("sbom.json", SBOM).file("sbom.json") } : {}),
    secrets: { awsAccessKeyId: dag.setSecret("k", KEY_ID), awsSecretAccessKey: dag.setSecret("s", SECRET_KEY) },
  });
}

beforeEach(() => {
  refused = new Set();
  listsReferrers = true;
  ecr = ecrMock();
  store = emptyStore();
  storeFor(ecr, { [ACCOUNT]: store });
  stubCompliantRepository(ecr, HOST, PASSWORD);
});
afterEach(async () => {
  vi.restoreAllMocks();
  ecr.restore();
  await engine?.close();
  engine = undefined;
});

describe("publish: SBOM and provenance as OCI referrers (plan test)", () => {
  it("attaches both to the pushed digest with the pinned ORAS image, each with its artifact type", async () => {
    engine = await FakeEngine.start({ answer });
    const result = await engine.run(() => publish({ sbom: true }));
    const plan = new Plan(engine);

    // One chain per artifact that ends with the listing (the attach's own leaves are earlier links).
    const oras = plan
      .containers()
      .filter((c) => c.calls.some((x) => x.field === "from" && x.args.address === ORAS_IMAGE))
      .filter((c) => execsOf(c).at(-1)?.args[1] === "discover")
      .filter((c, i, all) => all.findIndex((o) => JSON.stringify(execsOf(o).map((e) => e.args)) === JSON.stringify(execsOf(c).map((e) => e.args))) === i);
    expect(oras).toHaveLength(2);
    expect(isPinned(ORAS_IMAGE)).toBe(true);
    const attaches = oras
      .map((c) => execsOf(c).map((e) => e.args))
      .map((execs) => {
        // The attach, then the listing that proves the registry serves the referrer.
        expect(execs.map((e) => e.slice(0, 2).join(" "))).toEqual(["oras attach", "oras discover"]);
        const [attach, discover] = execs as [string[], string[]];
        expect(flagValue(discover, "--artifact-type")).toBe(flagValue(attach, "--artifact-type"));
        expect(flagValue(discover, "--distribution-spec")).toBe("v1.1-referrers-api");
        expect(flagValue(discover, "--registry-config")).toBe(REGISTRY_CONFIG_PATH);
        expect(discover.at(-1)).toBe(SUBJECT);
        return attach;
      });
    for (const args of attaches) {
      expect(args.slice(0, 2)).toEqual(["oras", "attach"]);
      // Against the digest, never a tag; through the referrers API, never the tag schema fallback.
      expect(args.at(-2)).toBe(SUBJECT);
      expect(args.filter((a) => /:[^/@]*$/.test(a.split("@")[0]!) && a.startsWith(HOST))).toEqual([]);
      expect(flagValue(args, "--distribution-spec")).toBe("v1.1-referrers-api");
      expect(flagValue(args, "--registry-config")).toBe(REGISTRY_CONFIG_PATH);
    }
    expect(attaches.map((a) => [flagValue(a, "--artifact-type"), a.at(-1)]).sort()).toEqual(
      [
        [SBOM_ARTIFACT_TYPE, `sbom.cdx.json:${SBOM_ARTIFACT_TYPE}`],
        [PROVENANCE_ARTIFACT_TYPE, `provenance.intoto.json:${PROVENANCE_ARTIFACT_TYPE}`],
      ].sort(),
    );
    // The files are mounted where the relative names point (workdir /work).
    expect(plan.callsNamed("withWorkdir").map(({ call }) => call.args.path)).toContain("/work");
    expect(new Set(plan.callsNamed("withMountedFile").map(({ call }) => call.args.path))).toEqual(new Set(["/work/sbom.cdx.json", "/work/provenance.intoto.json"]));

    // The registry login reaches ORAS only as a mounted secret: a Docker config.json for the ECR host.
    const mounts = plan.callsNamed("withMountedSecret").map(({ call }) => ({ path: call.args.path, origin: plan.origin(call.args.source) }));
    const configName = `dpra-oras-registry-config-${ACCOUNT}-${REGION}`;
    expect(new Set(mounts.map((m) => `${m.path} <- ${m.origin?.find((c) => c.field === "setSecret")?.args.name}`))).toEqual(new Set([`${REGISTRY_CONFIG_PATH} <- ${configName}`]));
    for (const container of oras) expect(container.calls.some((c) => c.field === "withMountedSecret" && c.args.path === REGISTRY_CONFIG_PATH)).toBe(true);
    const config = JSON.parse(plan.secretValues().find((s) => s.name === configName)!.plaintext);
    expect(Object.keys(config.auths)).toEqual([HOST]);
    const auth = config.auths[HOST].auth as string;
    expect(Buffer.from(auth, "base64").toString()).toBe(`AWS:${PASSWORD}`);
    expect(plan.secretLeaks([PASSWORD, KEY_ID, SECRET_KEY, auth])).toEqual([]);
    expect(plan.secretVariables()).toEqual([]);
    expect(plan.envVariables().every((e) => e.name === "DPRA_RUN_ID" && e.value === "run-77")).toBe(true);

    // The result names each referrer by the digest of the manifest ORAS pushed.
    const manifests = attaches.map((a) => referrerManifest(a));
    expect(new Set(result.referrers)).toEqual(new Set(manifests.map((m) => `${HOST}/fruit-api@${sha256(m)}`)));
    const report = JSON.parse(result.report);
    expect(report.referrers.map((r: { status: string; artifactType: string }) => `${r.artifactType} ${r.status}`).sort()).toEqual(
      [`${SBOM_ARTIFACT_TYPE} attached`, `${PROVENANCE_ARTIFACT_TYPE} attached`].sort(),
    );
  });

  it("a registry that refuses an attach: publish still succeeds, and the failure is in the result, the report and the log", async () => {
    refused.add(PROVENANCE_ARTIFACT_TYPE);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    engine = await FakeEngine.start({ answer });
    const result = await engine.run(() => publish({ sbom: true }));
    expect(result.reference).toBe(SUBJECT);
    expect(result.referrers).toHaveLength(1);
    expect(result.referrers[0]).toMatch(new RegExp(`^${HOST}/fruit-api@sha256:[a-f0-9]{64}$`));
    const failed = JSON.parse(result.report).referrers.find((r: { artifactType: string }) => r.artifactType === PROVENANCE_ARTIFACT_TYPE);
    expect(failed).toMatchObject({ status: "failed", file: "provenance.intoto.json" });
    expect(failed.error).toContain("405 Method Not Allowed");
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining(`${PROVENANCE_ARTIFACT_TYPE}: NOT attached`)]);
  });

  it("a registry without the referrers API: the pushed referrers are reported NOT attached, not fatal", async () => {
    listsReferrers = false;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    engine = await FakeEngine.start({ answer });
    const result = await engine.run(() => publish({ sbom: true }));
    expect(result.reference).toBe(SUBJECT);
    expect(result.referrers).toEqual([]);
    const report = JSON.parse(result.report).referrers as Array<{ status: string; error: string }>;
    expect(report.map((r) => r.status)).toEqual(["failed", "failed"]);
    for (const r of report)
      expect(r.error).toMatch(
        /^pushed as sha256:[a-f0-9]{64}, but the registry does not list it through the OCI referrers API \(oras discover exited 1: Error: failed to query referrers API: unsupported\)/,
      );
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it("without an SBOM, attaches the provenance only and reports the SBOM as skipped", async () => {
    engine = await FakeEngine.start({ answer });
    const result = await engine.run(() => publish({ sbom: false }));
    const plan = new Plan(engine);
    const types = plan
      .execs()
      .filter((e) => e.args[0] === "oras")
      .map((e) => flagValue(e.args, "--artifact-type"));
    expect([...new Set(types)]).toEqual([PROVENANCE_ARTIFACT_TYPE]);
    expect(result.referrers).toHaveLength(1);
    expect(JSON.parse(result.report).referrers.find((r: { artifactType: string }) => r.artifactType === SBOM_ARTIFACT_TYPE)).toMatchObject({
      status: "skipped",
      reason: "no SBOM was given to publish",
    });
  });

  it("with attachReferrers false, runs no ORAS container and asks for no second login", async () => {
    engine = await FakeEngine.start({ answer });
    const result = await engine.run(() => publish({ sbom: true, attachReferrers: false }));
    const plan = new Plan(engine);
    expect(plan.images()).not.toContain(ORAS_IMAGE);
    expect(plan.callsNamed("withMountedSecret")).toEqual([]);
    expect(ecr.commandCalls(GetAuthorizationTokenCommand)).toHaveLength(1); // the push's own login only
    expect(result.referrers).toEqual([]);
  });
});
