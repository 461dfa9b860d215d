// Plan tests of the publish shell: the real Dagger SDK talks to a loopback fake engine that records
// every request (nothing is pushed; see test/support/fake-engine.ts), while the ECR client runs with
// aws-sdk-client-mock. They prove what the module asks the engine to do with the registry password.
import { DescribeImageScanFindingsCommand } from "@aws-sdk/client-ecr";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dag } from "@dagger.io/dagger";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseReport } from "../../src/findings/parse.js";
import { Dpra } from "../../src/index.js";
import { FakeEngine, type Leaf } from "../support/fake-engine.js";
import { fixturePath } from "../support/fixtures.js";
import { Plan } from "../support/plan.js";
import { introspect, listModules } from "../support/surface.js";
import { ACCOUNT, DIGEST_A, ecrMock, emptyStore, MANIFEST, OCI_MANIFEST, REGION, storeFor, stubCompliantRepository, type FakeStore } from "../support/ecr-stubs.js";

const HOST = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
const REV = "0123456789abcdef0123456789abcdef01234567";
const PASSWORD = "eyJwYXlsb2FkIjoicGxhbi10ZXN0LXJlZ2lzdHJ5LXBhc3N3b3JkIn0";
const KEY_ID = "AKIAPLANTESTKEY00001";
const SECRET_KEY = "pLanTestSecretAccessKey/0123456789+ABCdef";

const SBOM = JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.6", components: [] });

const DPRA_YAML = `
name: fruit-api
artifact:
  ecr:
    repository: fruit-api
    account: "${ACCOUNT}"
    region: ${REGION}
    scanWaitSeconds: 30
`;

let engine: FakeEngine | undefined;
let ecr: ReturnType<typeof ecrMock>;
let store: FakeStore;

/** Answers the source listing, dpra.yaml, secret plaintexts, and the push (which "stores" the image). */
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
  return undefined;
}

beforeEach(() => {
  ecr = ecrMock();
  store = emptyStore();
  storeFor(ecr, { [ACCOUNT]: store });
  stubCompliantRepository(ecr, HOST, PASSWORD);
});
afterEach(async () => {
  ecr.restore();
  await engine?.close();
  engine = undefined;
});

describe("publish (plan test: records requests, pushes nothing)", () => {
  it("hands the registry password to the engine only as a secret used by withRegistryAuth", async () => {
    engine = await FakeEngine.start({ answer });
    const result = await engine.run(async () => {
      const image = dag
        .container()
        .from(`node:22-alpine@sha256:${"d".repeat(64)}`)
        .withExec(["npm", "ci"]);
      const out = await new Dpra(dag.directory())
        .withAws(dag.setSecret("aws-access-key-id", KEY_ID), dag.setSecret("aws-secret-access-key", SECRET_KEY))
        .publish(image, REV, "v1.0.0", "run-42", dag.directory().withNewFile("sbom.json", SBOM).file("sbom.json"), true, true, true);
      await out.reports.entries();
      return out;
    });
    expect(result.reference).toBe(`${HOST}/fruit-api@${DIGEST_A}`);
    expect(result.revision).toBe("pushed");
    expect(result.scanState).toBe("complete");

    const plan = new Plan(engine);
    expect(plan.registryAuths()).toEqual([{ address: HOST, username: "AWS", secret: `dpra-ecr-login-${ACCOUNT}-${REGION}` }]);
    expect(plan.secretValues()).toContainEqual({ name: `dpra-ecr-login-${ACCOUNT}-${REGION}`, plaintext: PASSWORD });
    // Nowhere else: not in exec args, env vars, file contents (the reports included) or any other argument.
    expect(plan.secretLeaks([PASSWORD, KEY_ID, SECRET_KEY])).toEqual([]);
    // The only plain variable: the run ID that keeps the ORAS attach of this run from being a cached exec.
    expect(new Set(plan.envVariables().map((e) => `${e.name}=${e.value}`))).toEqual(new Set(["DPRA_RUN_ID=run-42"]));

    // The push is made by the container that carries the registry auth, to the revision tag.
    const pushes = engine.leaves().filter((l) => l.field === "publish");
    expect(pushes.map((l) => l.args.address)).toEqual([`${HOST}/fruit-api:${REV}`]);
    const chain = pushes[0]!.calls.map((c) => c.field);
    expect(chain.indexOf("withRegistryAuth")).toBeGreaterThan(chain.indexOf("from"));
    expect(chain.at(-1)).toBe("withRegistryAuth");

    // The reports directory carries the publish report, provenance and findings, none with a secret.
    const files = plan
      .callsNamed("withNewFile")
      .map(({ call }) => String(call.args.path))
      .filter((f) => f !== "sbom.json"); // the test's own input file
    // The first provenance.intoto.json is the file the ORAS container attaches (see referrers.plan.test.ts).
    expect(files).toEqual(["provenance.intoto.json", "publish.json", "provenance.intoto.json", "ecr-findings.json", "ecr-gate.json", "ecr-gate.md"]);
    expect(result.gatePassed).toBe(true);
    const provenance = JSON.parse(result.provenance);
    expect(provenance.subject).toEqual([{ name: `${HOST}/fruit-api`, digest: { sha256: "a".repeat(64) } }]);
    expect(provenance.predicate.buildDefinition.externalParameters).toEqual({ source: { revision: REV }, releaseTag: "v1.0.0" });
    expect(provenance.predicate.runDetails.metadata.invocationId).toBe("run-42");
    expect(provenance.predicate.runDetails.byproducts[0].digest.sha256).toBe(createHash("sha256").update(SBOM).digest("hex"));
    expect(plan.callsNamed("withFile").map(({ call }) => call.args.path)).toEqual(["sbom.cdx.json"]);
    expect(store.tags.get("v1.0.0")).toBe(DIGEST_A);
  });

  it("on a rerun, pushes under a run-specific tag to compare digests, logging in just before that push", async () => {
    store.tags.set(REV, DIGEST_A);
    store.manifests.set(DIGEST_A, { manifest: MANIFEST, mediaType: OCI_MANIFEST });
    engine = await FakeEngine.start({ answer });
    const result = await engine.run(() =>
      new Dpra(dag.directory())
        .withAws(dag.setSecret("k", KEY_ID), dag.setSecret("s", SECRET_KEY))
        .publish(dag.container(), REV, undefined, "run-43", undefined, false, false, true),
    );
    expect(result.revision).toBe("unchanged");
    expect(result.scanState).toBe("skipped");
    expect(result.gatePassed).toBe(false);
    expect(result.gate).toContain("Not evaluated");
    // --attach-referrers=false: nothing attached, and the report says so.
    expect(result.referrers).toEqual([]);
    expect(JSON.parse(result.report).referrers.map((r: { status: string }) => r.status)).toEqual(["skipped", "skipped"]);
    // Login comes after the repository and tag checks, right before the push; the temporary tag is cleared before and removed after.
    const sequence = ecr.calls().map((c) => c.args[0].constructor.name.replace(/Command$/, ""));
    expect(sequence.slice(-4)).toEqual(["DescribeImages", "BatchDeleteImage", "GetAuthorizationToken", "BatchDeleteImage"]);
    const plan = new Plan(engine);
    expect(
      engine
        .leaves()
        .filter((l) => l.field === "publish")
        .map((l) => l.args.address),
    ).toEqual([`${HOST}/fruit-api:dpra-verify-run-43`]);
    expect(plan.secretLeaks([PASSWORD, KEY_ID, SECRET_KEY])).toEqual([]);
  });
});

describe("publish: ECR scan findings through the policy gate (plan test)", () => {
  const critical = {
    name: "CVE-2023-0464",
    severity: "CRITICAL" as const,
    attributes: [
      { key: "package_name", value: "openssl" },
      { key: "package_version", value: "3.0.8-r0" },
    ],
  };
  const run = (enforceGate: boolean) =>
    new Dpra(dag.directory())
      .withAws(dag.setSecret("k", KEY_ID), dag.setSecret("s", SECRET_KEY))
      .publish(dag.container(), REV, undefined, "run-44", undefined, true, true, enforceGate);

  it("fails after pushing when a finding blocks, naming the stored reference and the verdict", async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: "COMPLETE" }, imageScanFindings: { findings: [critical] } });
    engine = await FakeEngine.start({ answer });
    await expect(engine.run(() => run(true))).rejects.toThrow(
      new RegExp(`^publish: ${HOST}/fruit-api@${DIGEST_A} is stored, but its ECR scan fails the policy gate: .*Do not promote it`),
    );
    expect(store.tags.get(REV)).toBe(DIGEST_A);
  });

  it("with enforcement off, returns the failed gate and its reports", async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: "COMPLETE" }, imageScanFindings: { findings: [critical] } });
    engine = await FakeEngine.start({ answer });
    const result = await engine.run(() => run(false));
    expect(result.gatePassed).toBe(false);
    expect(JSON.parse(result.gateReport)).toMatchObject({ passed: false, findings: [{ disposition: "blocking", finding: { rule: "CVE-2023-0464", tool: "ecr" } }] });
    expect(result.gate).toContain("CVE-2023-0464");
  });

  // The build reads policy.baseline with the one report parser; publish reads the same setting the
  // same way, so a SARIF baseline (e.g. a scanner's own SARIF) works in both, not only in build.
  it("reads a SARIF policy.baseline as the build does, and gates the ECR findings against it", async () => {
    const sarif = readFileSync(fixturePath("gitleaks", "gitleaks-sarif_simple.sarif"), "utf8");
    const baselineFindings = parseReport(sarif, { file: "reports/baseline.sarif" }).findings;
    expect(baselineFindings.length).toBeGreaterThan(0);
    const withBaseline = (leaf: Leaf): unknown => {
      const file = leaf.calls.find((c) => c.field === "file")?.args.path;
      if (leaf.field === "contents" && file === "dpra.yaml") return `${DPRA_YAML}policy:\n  baseline: reports/baseline.sarif\n`;
      if (leaf.field === "exists" && leaf.args.path === "reports/baseline.sarif") return true;
      if (leaf.field === "contents" && file === "reports/baseline.sarif") return sarif;
      return answer(leaf);
    };
    ecr.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: "COMPLETE" }, imageScanFindings: { findings: [critical] } });
    engine = await FakeEngine.start({ answer: withBaseline });
    const result = await engine.run(() => run(false));
    const gate = JSON.parse(result.gateReport);
    expect(gate.baselineSize).toBe(baselineFindings.length);
    // The ECR finding is not in the baseline, so it still blocks, and the reason says so.
    expect(gate).toMatchObject({ passed: false, findings: [{ disposition: "blocking", finding: { rule: "CVE-2023-0464", tool: "ecr" } }] });
    expect(gate.findings[0].reason).toContain("not in the baseline");
  });

  it("names policy.baseline when the file it names is not in the source, as the build does", async () => {
    const missing = (leaf: Leaf): unknown => {
      const file = leaf.calls.find((c) => c.field === "file")?.args.path;
      if (leaf.field === "contents" && file === "dpra.yaml") return `${DPRA_YAML}policy:\n  baseline: reports/baseline.sarif\n`;
      return answer(leaf);
    };
    ecr.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: "COMPLETE" }, imageScanFindings: { findings: [critical] } });
    engine = await FakeEngine.start({ answer: missing });
    await expect(engine.run(() => run(false))).rejects.toThrow("dpra.yaml: policy.baseline names reports/baseline.sarif, which is not in the source.");
  });
});

describe("cache policy", () => {
  it("declares publish, promote and ensureRepository as never cached (side effects)", async () => {
    const surface = await introspect(listModules().find((m) => m.name === "dpra")!);
    const dpra = surface.objects.find((o) => o.name === "Dpra")!;
    const cacheOf = (name: string) => dpra.functions.find((f) => f.name === name)?.cache;
    expect(cacheOf("publish")).toBe("never");
    expect(cacheOf("promote")).toBe("never");
    expect(cacheOf("ensureRepository")).toBe("never");
    expect(cacheOf("config")).toBeUndefined();
  }, 60_000);
});
