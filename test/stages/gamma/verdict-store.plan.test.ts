// Level 6 (plan test: fake engine, requests recorded, nothing run) of Gamma's verdict against the
// digest: the real Dagger SDK talks to the loopback fake engine, and the ORAS execs are answered by a
// small referrer store standing in for ECR (attach adds a referrer, discover lists them, pull gives
// the file). CloudFormation/CloudWatch are the simulation of test/support/fake-aws.ts, ECR, STS
// and Synthetics are mocked with aws-sdk-client-mock. ORAS never runs here; the level-1 test of the
// same store against a real registry is test/stages/gamma/verdict-store.real.test.ts.
import { createHash } from "node:crypto";
import { ECRClient, GetAuthorizationTokenCommand } from "@aws-sdk/client-ecr";
import { SyntheticsClient } from "@aws-sdk/client-synthetics";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/nested-clients/sts";
import { dag } from "@dagger.io/dagger";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Registry } from "../../../src/aws/ecr/client.js";
import type { CredentialSecrets } from "../../../src/inputs/credentials.dagger.js";
import { ORAS_CONTAINER_PATHS, ORAS_IMAGE, REGISTRY_CONFIG_PATH } from "../../../src/publish/referrers.dagger.js";
import { orasVerdictStore } from "../../../src/stages/gamma/verdict-store.dagger.js";
import { release, type ReleaseInput } from "../../../src/release/release.dagger.js";
import { GAMMA_VERDICT_ARTIFACT_TYPE, GAMMA_VERDICT_FILE, parseVerdictRecord, type GammaVerdictRecord } from "../../../src/pipeline/promotion.js";
import { mockAws } from "../../support/aws-mock.js";
import { FakeEngine, type Call, type Leaf } from "../../support/fake-engine.js";
import { execsOf, isPinned, Plan } from "../../support/plan.js";
import {
  CI_APPROVAL,
  FakeWorld,
  FILES,
  KEY_ID,
  mockCanary,
  OLD_REF,
  passingBeta,
  passingBuild,
  REF,
  SECRET_KEY,
  stackScenario,
  stubAssumeRole,
  YAML,
} from "../../support/release.js";

const HOST = "111111111111.dkr.ecr.eu-west-1.amazonaws.com";
const NAME = `${HOST}/fruit-api`;
const DIGEST = REF.split("@")[1]!;
const PASSWORD = "eyJwYXlsb2FkIjoiZ2FtbWEtdmVyZGljdC1wbGFuIn0=";
const PROD_ROLE = "arn:aws:iam::333333333333:role/dpra-deploy";

// No bakes and one prod wave, so that the real timers the fake engine needs keep the tests short.
const yaml = YAML.replace("bakeMinutes: 1\n  prod:", "bakeMinutes: 0\n  prod:").replace(
  / {4}waves:\n( {6}- .*\n)+/,
  "    waves:\n      - { name: first, regions: [eu-west-1], bakeMinutes: 0 }\n",
);
const files: Record<string, string> = { ...FILES, "dpra.yaml": yaml };
const quick = {
  execution: () => [
    { afterMs: 0, status: "UPDATE_IN_PROGRESS" },
    { afterMs: 200, status: "UPDATE_COMPLETE" },
  ],
};

const synthetics = mockAws(SyntheticsClient);
const sts = mockAws(STSClient);
const ecr = mockAws(ECRClient);
let engine: FakeEngine | undefined;
/** The referrers the fake registry holds, by subject digest. */
let stored: Map<string, Array<{ digest: string; artifactType: string; text: string }>>;
/** When set, the registry refuses every attach with this error. */
let refuse: string | undefined;
/** The access key each ECR login was asked with: the caller's keys (artifact side) or the prod role's session. */
let logins: string[];

const sha256 = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;
const flag = (args: string[], name: string) => args[args.indexOf(name) + 1]!;
const orasExecs = (calls: Call[]) => calls.filter((c) => c.field === "withExec" && (c.args.args as string[])[0] === "oras").map((c) => c.args.args as string[]);

/** The manifest `oras attach` would push: the artifact type and the subject from its arguments, the file as its layer. */
function referrerManifest(attach: string[], text: string): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    artifactType: flag(attach, "--artifact-type"),
    config: { mediaType: "application/vnd.oci.empty.v1+json", digest: sha256("{}"), size: 2 },
    layers: [{ mediaType: flag(attach, "--artifact-type"), digest: sha256(text), size: text.length, annotations: { "org.opencontainers.image.title": GAMMA_VERDICT_FILE } }],
    subject: { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: attach.at(-2)!.split("@")[1], size: 1234 },
  });
}

/** The text of the file mounted into the attach's container, from the directory it was written into. */
function mountedText(calls: Call[]): string {
  const mount = calls.find((c) => c.field === "withMountedFile" && c.args.path === `/work/${GAMMA_VERDICT_FILE}`);
  const origin = mount ? new Plan(engine!).origin(mount.args.source) : undefined;
  const written = origin?.find((c) => c.field === "withNewFile");
  if (typeof written?.args.contents !== "string") throw new Error("the attach mounts no gamma-verdict.json written by the module");
  return written.args.contents;
}

function listing(subject: string, artifactType: string): string {
  const referrers = (stored.get(subject) ?? []).filter((r) => r.artifactType === artifactType);
  return JSON.stringify({
    digest: subject,
    referrers: referrers.map((r) => ({ digest: r.digest, mediaType: "application/vnd.oci.image.manifest.v1+json", artifactType: r.artifactType })),
  });
}

function answer(leaf: Leaf): unknown {
  const path = leaf.calls.find((c) => c.field === "file")?.args.path as string | undefined;
  if (leaf.field === "entries") return [...new Set(Object.keys(files).map((f) => f.split("/")[0]!))];
  if (leaf.field === "plaintext") return leaf.calls.find((c) => c.field === "setSecret")?.args.plaintext;
  const execs = orasExecs(leaf.calls);
  const last = execs.at(-1);
  if (!last) {
    if (leaf.field === "contents" && path !== undefined && files[path] !== undefined) return files[path];
    return undefined;
  }
  const verb = last[1];
  if (verb === "attach") {
    if (leaf.field === "exitCode") return refuse ? 1 : 0;
    if (leaf.field === "stderr") return refuse ?? "";
    if (leaf.field === "contents" && path === ORAS_CONTAINER_PATHS.exportedManifest) {
      const text = mountedText(leaf.calls);
      const manifest = referrerManifest(last, text);
      const subject = last.at(-2)!.split("@")[1]!;
      const list = stored.get(subject) ?? [];
      if (!list.some((r) => r.digest === sha256(manifest))) list.push({ digest: sha256(manifest), artifactType: flag(last, "--artifact-type"), text });
      stored.set(subject, list);
      return manifest;
    }
  }
  if (verb === "discover") {
    if (leaf.field === "exitCode") return 0;
    if (leaf.field === "stdout") return listing(last.at(-1)!.split("@")[1]!, flag(last, "--artifact-type"));
  }
  if (verb === "pull") {
    const referrer = last.at(-1)!.split("@")[1]!;
    const found = [...stored.values()].flat().find((r) => r.digest === referrer);
    const out = flag(last, "--output");
    if (leaf.field === "exitCode") return found ? 0 : 1;
    if (leaf.field === "stderr") return found ? "" : `Error: ${referrer}: not found`;
    if (leaf.field === "stdout")
      return JSON.stringify({
        reference: last.at(-1),
        files: [
          {
            path: `${out}/${GAMMA_VERDICT_FILE}`,
            reference: last.at(-1),
            mediaType: GAMMA_VERDICT_ARTIFACT_TYPE,
            digest: sha256(found!.text),
            size: found!.text.length,
            annotations: {},
          },
        ],
      });
    if (leaf.field === "contents" && path === `${out}/${GAMMA_VERDICT_FILE}`) return found!.text;
  }
  return undefined;
}

/** A FakeWorld whose Gamma verdicts go through the real ORAS store (and so through the fake engine). */
class OrasWorld extends FakeWorld {
  override verdicts(registry: Registry, runId: string) {
    return orasVerdictStore(registry, runId);
  }
}

function world(): OrasWorld {
  const w = new OrasWorld();
  w.add("gamma", "eu-west-1", "fruit-api-gamma", stackScenario("eu-west-1", OLD_REF, quick));
  w.add("prod", "eu-west-1", "fruit-api-prod", stackScenario("eu-west-1", OLD_REF, quick));
  return w;
}

function input(w: FakeWorld, over: Partial<ReleaseInput>): ReleaseInput {
  const secrets: CredentialSecrets = { awsAccessKeyId: dag.setSecret("aws-key-id", KEY_ID), awsSecretAccessKey: dag.setSecret("aws-secret", SECRET_KEY) };
  return { source: dag.directory(), env: "gamma", digest: REF, build: passingBuild(), stages: { beta: passingBeta }, failOnError: false, aws: { secrets, world: w }, ...over };
}

/** A record as an earlier Gamma run attached it. */
function seed(verdict: "passed" | "failed", runId: string, recordedAt: string): void {
  const checks: GammaVerdictRecord["checks"] = [
    { name: "deploy", status: "passed" },
    { name: "verify-digest", status: "passed" },
    { name: "alarms", status: "passed" },
    verdict === "passed" ? { name: "canary", status: "passed" } : { name: "canary", status: "failed", detail: "fruit_smoke: FAILED CANARY_FAILURE" },
  ];
  const record: GammaVerdictRecord = {
    schemaVersion: 1,
    subject: DIGEST,
    repository: NAME,
    verdict,
    runId,
    recordedAt,
    environment: { account: "222222222222", region: "eu-west-1", stack: "fruit-api-gamma" },
    checks,
  };
  const text = JSON.stringify(record);
  const list = stored.get(DIGEST) ?? [];
  list.push({ digest: sha256(text + runId), artifactType: GAMMA_VERDICT_ARTIFACT_TYPE, text });
  stored.set(DIGEST, list);
}

const records = () => (stored.get(DIGEST) ?? []).map((r) => parseVerdictRecord(r.text, r.digest));
const cfnCalls = (w: FakeWorld, env: string) => w.get(env, "eu-west-1").calls.filter((c) => c.service === "cloudformation");

beforeEach(() => {
  stored = new Map();
  refuse = undefined;
  logins = [];
  stubAssumeRole(sts);
  synthetics.reset();
  ecr.reset();
  const login = async (_input: unknown, getClient: () => ECRClient) => {
    logins.push((await getClient().config.credentials()).accessKeyId);
    return { authorizationData: [{ authorizationToken: Buffer.from(`AWS:${PASSWORD}`).toString("base64"), proxyEndpoint: `https://${HOST}` }] };
  };
  ecr.on(GetAuthorizationTokenCommand).callsFake(login as never);
  vi.spyOn(console, "log").mockImplementation(() => undefined);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await engine?.close();
  engine = undefined;
});

describe("Gamma records its verdict against the digest (plan test)", () => {
  it("a passing Gamma attaches a passed record to the digest: pinned ORAS, the verdict artifact type, the login as a mounted secret", async () => {
    const w = world();
    mockCanary(synthetics, () => "PASSED");
    engine = await FakeEngine.start({ answer });
    const result = await engine.run(() => release(input(w, { runId: "run-gamma-1" })));
    expect(result.failure).toBe("");
    expect(result.verdict).toBe("passed");

    const plan = new Plan(engine);
    const attaches = plan
      .execs()
      .filter((e) => e.args[0] === "oras" && e.args[1] === "attach")
      .map((e) => e.args);
    expect(new Set(attaches.map((a) => JSON.stringify(a))).size).toBe(1);
    const attach = attaches[0]!;
    expect(flag(attach, "--artifact-type")).toBe(GAMMA_VERDICT_ARTIFACT_TYPE);
    expect(flag(attach, "--distribution-spec")).toBe("v1.1-referrers-api");
    expect(flag(attach, "--registry-config")).toBe(REGISTRY_CONFIG_PATH);
    expect(attach.slice(-2)).toEqual([REF, `${GAMMA_VERDICT_FILE}:${GAMMA_VERDICT_ARTIFACT_TYPE}`]);
    const oras = plan.containers().filter((c) => c.calls.some((x) => x.field === "from" && x.args.address === ORAS_IMAGE));
    expect(oras.length).toBeGreaterThan(0);
    expect(isPinned(ORAS_IMAGE)).toBe(true);
    // The attach is checked by listing it through the referrers API.
    expect(
      oras.some(
        (c) =>
          execsOf(c)
            .map((e) => e.args[1])
            .join(",") === "attach,discover",
      ),
    ).toBe(true);
    for (const c of oras) expect(c.calls.some((x) => x.field === "withMountedSecret" && x.args.path === REGISTRY_CONFIG_PATH)).toBe(true);
    expect(plan.secretLeaks([PASSWORD, KEY_ID, SECRET_KEY])).toEqual([]);

    // The record the registry holds: passed, this run, every check, the Gamma stack.
    const [record, ...more] = records();
    expect(more).toEqual([]);
    expect(record).toMatchObject({
      subject: DIGEST,
      repository: NAME,
      verdict: "passed",
      runId: "run-gamma-1",
      environment: { account: "222222222222", region: "eu-west-1", stack: "fruit-api-gamma" },
    });
    expect(record!.checks.map((c) => `${c.name}:${c.status}`)).toEqual(["deploy:passed", "verify-digest:passed", "alarms:passed", "canary:passed"]);
    // Written as the artifact side: dpra.yaml names no artifact role, so the caller's own keys log in.
    expect(logins).toEqual([KEY_ID]);
    const deploy = result.stages.find((s) => s.id === "gamma")!.actions.find((a) => a.name === "deploy-software")!;
    expect(deploy.summary).toMatch(new RegExp(`record verdict \\(eu-west-1\\): "passed" attached to ${DIGEST} as sha256:[a-f0-9]{64}`));
  }, 60_000);

  it("a failing Gamma canary attaches a failed record naming the canary; the later checks are skipped", async () => {
    const w = world();
    mockCanary(synthetics, () => "FAILED");
    engine = await FakeEngine.start({ answer });
    const result = await engine.run(() => release(input(w, { runId: "run-gamma-2" })));
    expect(result.verdict).toBe("failed");
    expect(result.failure).toMatch(/^gamma\.synthetic-tests failed: synthetic canary/);
    const [record] = records();
    expect(record).toMatchObject({ verdict: "failed", runId: "run-gamma-2" });
    expect(record!.checks.find((c) => c.name === "canary")).toMatchObject({ status: "failed", detail: expect.stringContaining("CANARY_FAILURE") });
    const attach = new Plan(engine).execs().find((e) => e.args[1] === "attach")!.args;
    expect(flag(attach, "--artifact-type")).toBe(GAMMA_VERDICT_ARTIFACT_TYPE);
  }, 60_000);

  it("a registry that refuses the record fails Gamma even though its checks passed", async () => {
    const w = world();
    refuse = "Error: failed to push: PUT manifest: 403 Forbidden";
    mockCanary(synthetics, () => "PASSED");
    engine = await FakeEngine.start({ answer });
    const result = await engine.run(() => release(input(w, { runId: "run-gamma-3" })));
    expect(result.verdict).toBe("failed");
    expect(result.failure).toMatch(
      /^gamma\.deploy-software failed: .*record verdict \(eu-west-1\): failed the "passed" verdict was NOT recorded against sha256:a{64}: oras attach exited 1: Error: failed to push: PUT manifest: 403 Forbidden/,
    );
    expect(result.failure).toContain("this Gamma run counts as failed; run it again");
    expect(records()).toEqual([]);
  }, 60_000);
});

describe("a prod-only release reads the digest's Gamma verdict first (plan test)", () => {
  it("without a record: refused before the approval and before any CloudFormation call, saying what to run; read as the prod role", async () => {
    const w = world();
    engine = await FakeEngine.start({ answer });
    const result = await engine.run(() => release(input(w, { env: "prod", approval: CI_APPROVAL, runId: "run-prod-1" })));
    expect(result.verdict).toBe("failed");
    expect(result.failure).toBe(
      `prod.approval failed: refusing to deploy ${REF} to prod: no Gamma pass record for ${DIGEST}: run \`dagger call --source=. release --env=gamma --digest=${REF}\` first`,
    );
    expect(cfnCalls(w, "prod")).toEqual([]);
    expect(cfnCalls(w, "gamma")).toEqual([]);
    expect(w.get("prod", "eu-west-1").callsOf("CreateChangeSet")).toEqual([]);
    expect(result.approvalReport).toBe("");
    // The read: discover through the referrers API for the verdict type, as the prod role.
    const discover = new Plan(engine).execs().find((e) => e.args[1] === "discover")!.args;
    expect(flag(discover, "--artifact-type")).toBe(GAMMA_VERDICT_ARTIFACT_TYPE);
    expect(flag(discover, "--distribution-spec")).toBe("v1.1-referrers-api");
    expect(discover.at(-1)).toBe(REF);
    expect(logins).toEqual(["ASIARELEASETESTROLE1"]);
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toContain(PROD_ROLE);
  }, 60_000);

  it("the newest record is the failed canary: refused naming it, although an older pass exists; no change set", async () => {
    const w = world();
    w.add("gamma", "eu-west-1", "fruit-api-gamma", stackScenario("eu-west-1", REF, quick));
    seed("passed", "run-old-pass", "2026-12-01T09:00:00.000Z");
    seed("failed", "run-new-fail", "2026-12-02T09:00:00.000Z");
    engine = await FakeEngine.start({ answer });
    const result = await engine.run(() => release(input(w, { env: "prod", approval: CI_APPROVAL, runId: "run-prod-2" })));
    expect(result.verdict).toBe("failed");
    expect(result.failure).toBe(
      `prod.approval failed: refusing to deploy ${REF} to prod: ${DIGEST} failed Gamma in run run-new-fail, 2026-12-02T09:00:00.000Z: canary (fruit_smoke: FAILED CANARY_FAILURE). ` +
        `It cannot be promoted; release a fixed image, or run \`dagger call --source=. release --env=gamma --digest=${REF}\` again to record a newer pass`,
    );
    // Both referrers were pulled to find the newest.
    const pulls = new Plan(engine)
      .execs()
      .filter((e) => e.args[1] === "pull")
      .map((e) => e.args.at(-1));
    expect(new Set(pulls)).toEqual(new Set((stored.get(DIGEST) ?? []).map((r) => `${NAME}@${r.digest}`)));
    expect(w.get("prod", "eu-west-1").callsOf("CreateChangeSet")).toEqual([]);
    expect(cfnCalls(w, "prod")).toEqual([]);
  }, 60_000);

  it("Gamma's own pass record promotes: gamma, then prod-only reads that record and deploys the digest", async () => {
    const w = world();
    mockCanary(synthetics, () => "PASSED");
    engine = await FakeEngine.start({ answer });
    const gamma = await engine.run(() => release(input(w, { runId: "run-gamma-4" })));
    expect(gamma.verdict).toBe("passed");
    const prod = await engine.run(() => release(input(w, { env: "prod", approval: CI_APPROVAL, runId: "run-prod-4" })));
    expect(prod.failure).toBe("");
    expect(prod.verdict).toBe("passed");
    const approval = prod.stages.find((s) => s.id === "prod")!.actions.find((a) => a.name === "approval")!;
    expect(approval.summary).toMatch(
      new RegExp(`; ${DIGEST} passed Gamma in run run-gamma-4, \\S+ \\(deploy, verify-digest, alarms, canary; stack fruit-api-gamma in eu-west-1\\)`),
    );
    expect(w.get("prod", "eu-west-1").callsOf("CreateChangeSet").length).toBeGreaterThan(0);
    expect(w.get("prod", "eu-west-1").stack?.Parameters.find((p) => p.ParameterKey === "ImageUri")?.ParameterValue).toBe(REF);
    expect(prod.markdown).toContain("## Prod: Gamma verdict");
  }, 90_000);
});
