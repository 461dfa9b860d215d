// Plan tests of promote and ensureRepository: the Dagger SDK talks to the loopback fake engine (only
// the source directory and the credential Secrets are read from it); ECR and STS run through the
// real SDK clients with aws-sdk-client-mock.
import {
  BatchCheckLayerAvailabilityCommand,
  CompleteLayerUploadCommand,
  DescribeRegistryCommand,
  DescribeRepositoriesCommand,
  GetDownloadUrlForLayerCommand,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
  InitiateLayerUploadCommand,
  PutImageTagMutabilityCommand,
  UploadLayerPartCommand,
} from "@aws-sdk/client-ecr";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/nested-clients/sts";
import { dag } from "@dagger.io/dagger";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Dpra } from "../../src/index.js";
import { lifecyclePolicy } from "../../src/aws/ecr/policies.js";
import { parseReference } from "../../src/publish/publish.dagger.js";
import { FakeEngine, type Leaf } from "../support/fake-engine.js";
import { Plan } from "../support/plan.js";
import { ACCOUNT, DIGEST_A, ecrMock, emptyStore, MANIFEST, OCI_MANIFEST, PROD, REGION, storeFor, type FakeStore } from "../support/ecr-stubs.js";

const HOST = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
const PROD_ROLE = `arn:aws:iam::${PROD}:role/dpra-prod`;
const ARTIFACT_ROLE = `arn:aws:iam::${ACCOUNT}:role/dpra-artifact`;
const KEY_ID = "AKIAPROMOTEPLANKEY01";
const SECRET_KEY = "pRomotePlanSecretKey/0123456789+ABCdefghij";

const yaml = (promote: string) => `
name: fruit-api
artifact:
  ecr:
    repository: fruit-api
    account: "${ACCOUNT}"
    region: ${REGION}
    roleArn: ${ARTIFACT_ROLE}
${promote}
environments:
  prod:
    account: "${PROD}"
    roleArn: ${PROD_ROLE}
    region: us-east-1
    stackName: fruit-api-prod
`;

let engine: FakeEngine | undefined;
let ecr: ReturnType<typeof ecrMock>;
let sts: ReturnType<typeof stsMock>;
const stsMock = () => mockClient(STSClient);
let source: FakeStore;
let target: FakeStore;

const answer =
  (config: string) =>
  (leaf: Leaf): unknown => {
    if (leaf.field === "entries") return ["dpra.yaml", "package.json"];
    if (leaf.field === "contents" && leaf.calls.some((c) => c.field === "file" && c.args.path === "dpra.yaml")) return config;
    if (leaf.field === "plaintext") return leaf.calls.find((c) => c.field === "setSecret")?.args.plaintext;
    return undefined;
  };

beforeEach(() => {
  ecr = ecrMock();
  sts = stsMock();
  source = emptyStore();
  target = emptyStore();
  source.tags.set("rev1", DIGEST_A);
  source.manifests.set(DIGEST_A, { manifest: MANIFEST, mediaType: OCI_MANIFEST });
  storeFor(ecr, { [ACCOUNT]: source, [PROD]: target });
  sts.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: "ASIAPLAN", SecretAccessKey: "x", SessionToken: "y", Expiration: new Date(Date.now() + 3600_000) },
  });
});
afterEach(async () => {
  ecr.restore();
  sts.restore();
  await engine?.close();
  engine = undefined;
});

const creds = () => [dag.setSecret("aws-access-key-id", KEY_ID), dag.setSecret("aws-secret-access-key", SECRET_KEY)] as const;

describe("promote (plan test)", () => {
  it("copies the digest into the environment's registry as the environment role, and verifies it", async () => {
    ecr.on(DescribeRegistryCommand).resolves({ replicationConfiguration: { rules: [] } });
    ecr.on(BatchCheckLayerAvailabilityCommand).resolves({ layers: [] });
    // The mock bypasses signing; resolve each client's credentials to see which role it runs as.
    const signers: Record<string, string> = {};
    ecr.on(GetDownloadUrlForLayerCommand).callsFake(async (_input, getClient) => {
      await getClient().config.credentials();
      signers.source ??= String(sts.commandCalls(AssumeRoleCommand).at(-1)?.args[0].input.RoleArn);
      return { downloadUrl: "https://presigned.example/blob" };
    });
    ecr.on(InitiateLayerUploadCommand).callsFake(async (_input, getClient) => {
      await getClient().config.credentials();
      signers.target ??= String(sts.commandCalls(AssumeRoleCommand).at(-1)?.args[0].input.RoleArn);
      return { uploadId: "u" };
    });
    ecr.on(UploadLayerPartCommand).resolves({});
    ecr.on(CompleteLayerUploadCommand).resolves({});
    // The copy route downloads blobs with fetch from the pre-signed URL; answer it locally.
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async () => new Response(new Uint8Array([1, 2, 3]))) as typeof fetch;
    engine = await FakeEngine.start({ answer: answer(yaml(`  promote:\n    prod: { account: "${PROD}", region: ${REGION} }`)) });
    try {
      const out = await engine.run(() => new Dpra(dag.directory()).withAws(...creds()).promote(`${HOST}/fruit-api@${DIGEST_A}`, "prod", "rev1", "run-7"));
      expect(JSON.parse(out)).toMatchObject({ route: "copy", digest: DIGEST_A, reference: `${PROD}.dkr.ecr.${REGION}.amazonaws.com/fruit-api@${DIGEST_A}`, copiedBlobs: 3 });
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(target.tags.get("rev1")).toBe(DIGEST_A);
    const assumed = sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input);
    expect(assumed).toEqual(
      expect.arrayContaining([
        { RoleArn: ARTIFACT_ROLE, RoleSessionName: "dpra-fruit-api-artifact-run-7", DurationSeconds: 3600 },
        { RoleArn: PROD_ROLE, RoleSessionName: "dpra-fruit-api-prod-run-7", DurationSeconds: 3600 },
      ]),
    );
    expect(signers).toEqual({ source: ARTIFACT_ROLE, target: PROD_ROLE });
    expect(new Plan(engine).secretLeaks([KEY_ID, SECRET_KEY])).toEqual([]);
  });

  it("without a copy configured, only checks the digest is in the central repository", async () => {
    engine = await FakeEngine.start({ answer: answer(yaml("")) });
    const out = await engine.run(() => new Dpra(dag.directory()).withAws(...creds()).promote(`${HOST}/fruit-api:rev1@${DIGEST_A}`, "prod", undefined, "run-8"));
    expect(JSON.parse(out)).toEqual({ route: "central-repository", reference: `${HOST}/fruit-api:rev1@${DIGEST_A}` });
  });

  it("refuses a reference outside the configured repository, and an unknown environment", async () => {
    engine = await FakeEngine.start({ answer: answer(yaml("")) });
    await expect(engine.run(() => new Dpra(dag.directory()).withAws(...creds()).promote(`${HOST}/other@${DIGEST_A}`, "prod", undefined, "r"))).rejects.toThrow(
      `promote: ${HOST}/other@${DIGEST_A} is not in the configured repository ${HOST}/fruit-api; promote only what publish stored.`,
    );
    await expect(engine.run(() => new Dpra(dag.directory()).promote(`${HOST}/fruit-api@${DIGEST_A}`, "beta"))).rejects.toThrow('promote: --env must be gamma or prod, got "beta".');
  });

  it("refuses a copy target whose environment (and so its role) is not configured", async () => {
    const config = `name: fruit-api\nartifact:\n  ecr: { repository: fruit-api, account: "${ACCOUNT}", region: ${REGION} }\n  promote:\n    gamma: { account: "${PROD}", region: ${REGION} }\n`;
    engine = await FakeEngine.start({ answer: answer(config) });
    await expect(engine.run(() => new Dpra(dag.directory()).withAws(...creds()).promote(`${HOST}/fruit-api@${DIGEST_A}`, "gamma", undefined, "r"))).rejects.toThrow(
      "dpra.yaml: artifact.promote.gamma is set, but environments.gamma is not: the copy is made as environments.gamma.roleArn; add the environment.",
    );
  });

  it("parses references with and without a tag", () => {
    expect(parseReference(`${HOST}/team/fruit-api:v1@${DIGEST_A}`)).toEqual({ host: HOST, repository: "team/fruit-api", digest: DIGEST_A });
    expect(parseReference(`${HOST}/fruit-api@${DIGEST_A}`)).toEqual({ host: HOST, repository: "fruit-api", digest: DIGEST_A });
    expect(() => parseReference(`fruit-api@${DIGEST_A}`)).toThrow(/Expected <registry host>\/<repository>@sha256/);
  });
});

describe("ensureRepository (plan test)", () => {
  it("reports drift as JSON and applies it only with --apply", async () => {
    ecr.on(GetRegistryScanningConfigurationCommand).resolves({ scanningConfiguration: { scanType: "BASIC" } });
    ecr.on(DescribeRepositoriesCommand).resolves({
      repositories: [{ repositoryName: "fruit-api", imageTagMutability: "MUTABLE", imageScanningConfiguration: { scanOnPush: true } }],
    });
    ecr.on(GetLifecyclePolicyCommand).resolves({ lifecyclePolicyText: JSON.stringify(lifecyclePolicy(50, 7)) });
    ecr.on(PutImageTagMutabilityCommand).resolves({});
    engine = await FakeEngine.start({ answer: answer(yaml("")) });
    const report = JSON.parse(await engine.run(() => new Dpra(dag.directory()).withAws(...creds()).ensureRepository(false)));
    expect(report.summary).toEqual(["fruit-api: tagMutability is MUTABLE, expected IMMUTABLE: not applied (rerun with --apply)"]);
    expect(ecr.commandCalls(PutImageTagMutabilityCommand)).toHaveLength(0);
    const applied = JSON.parse(await engine.run(() => new Dpra(dag.directory()).withAws(...creds()).ensureRepository(true)));
    expect(applied.applied).toEqual(["PutImageTagMutability"]);
    expect(ecr.commandCalls(PutImageTagMutabilityCommand)).toHaveLength(1);
  });

  it("fails clearly without credentials or without an artifact section", async () => {
    engine = await FakeEngine.start({ answer: answer(yaml("")) });
    await expect(engine.run(() => new Dpra(dag.directory()).ensureRepository(false))).rejects.toThrow(/^No AWS credentials given/);
    await engine.close();
    engine = await FakeEngine.start({ answer: answer("name: fruit-api\n") });
    await expect(engine.run(() => new Dpra(dag.directory()).withAws(...creds()).ensureRepository(false))).rejects.toThrow(/dpra\.yaml has no artifact section/);
  });
});
