// Hygiene: credential values never appear in anything the code returns, throws or prints.
// Every result, report and error of the credential, publish, scan and promotion paths is
// serialised and searched for each secret value.
import {
  DescribeImageScanFindingsCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
  PutImageCommand,
} from "@aws-sdk/client-ecr";
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/nested-clients/sts";
import type { Secret } from "@dagger.io/dagger";
import { mockClient } from "aws-sdk-client-mock";

const mockSts = () => mockClient(STSClient);
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ecrRegistry } from "../../../src/aws/ecr/client.js";
import { registryLogin } from "../../../src/aws/ecr/images.js";
import { publishImage } from "../../../src/aws/ecr/publish.js";
import { desiredRepository, ensureRepository } from "../../../src/aws/ecr/repository.js";
import { waitForScanFindings } from "../../../src/aws/ecr/scan.js";
import { credentialInputs } from "../../../src/aws/credentials/providers.js";
import { ArtifactConfig } from "../../../src/config/sections/artifact.js";
import { runIdentity } from "../../../src/inputs/credentials.dagger.js";
import { ACCOUNT, DIGEST_A, ecrMock, emptyStore, MANIFEST, OCI_MANIFEST, REGION, storeFor } from "../../support/ecr-stubs.js";

const SECRETS = {
  accessKeyId: "AKIAHYGIENETEST00001",
  secretAccessKey: "hYg1eneSecretAccessKeyValue/abc+XYZ0123456",
  sessionToken: "FwoGZXIvYXdzEHygieneSessionTokenValue0123456789",
  webIdentityToken: "eyJhbGciOiJSUzI1NiJ9.hygiene-oidc-token.c2lnbmF0dXJl",
  registryPassword: "eyJwYXlsb2FkIjoiaHlnaWVuZS1yZWdpc3RyeS1wYXNzd29yZCJ9",
  assumedSecret: "AssumedRoleSecretValueHygiene0123456789abc",
  assumedToken: "AssumedRoleSessionTokenHygiene0123456789abc",
};

const secret = (value: string) => ({ plaintext: async () => value }) as unknown as Secret;

let ecr: ReturnType<typeof ecrMock>;
let sts: ReturnType<typeof mockSts>;
const printed: string[] = [];

beforeEach(() => {
  ecr = ecrMock();
  sts = mockSts();
  const creds = { AccessKeyId: "ASIAHYGIENEASSUMED01", SecretAccessKey: SECRETS.assumedSecret, SessionToken: SECRETS.assumedToken, Expiration: new Date(Date.now() + 3600_000) };
  sts.on(AssumeRoleCommand).resolves({ Credentials: creds });
  sts.on(AssumeRoleWithWebIdentityCommand).resolves({ Credentials: creds });
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(" ")));
  }
});
afterEach(() => {
  ecr.restore();
  sts.restore();
  vi.restoreAllMocks();
});

function assertClean(label: string, value: unknown): void {
  const text = typeof value === "string" ? value : JSON.stringify(value, (_k, v) => (v instanceof Error ? { name: v.name, message: v.message, cause: v.cause } : v));
  for (const [name, s] of Object.entries(SECRETS)) {
    expect(text, `${label} contains ${name}`).not.toContain(s);
  }
}

describe("credential hygiene", () => {
  it("keeps every secret out of results, reports, errors and printed output", async () => {
    const produced: Array<[string, unknown]> = [];

    // 1. Every kind of credential input, read from (fake) Dagger Secrets, chained into a role.
    for (const args of [
      { awsAccessKeyId: secret(SECRETS.accessKeyId), awsSecretAccessKey: secret(SECRETS.secretAccessKey), awsSessionToken: secret(SECRETS.sessionToken) },
      { awsWebIdentityToken: secret(SECRETS.webIdentityToken), awsRoleArn: "arn:aws:iam::111111111111:role/dpra-ci" },
      { awsProfileFile: secret(`[default]\naws_access_key_id = ${SECRETS.accessKeyId}\naws_secret_access_key = ${SECRETS.secretAccessKey}\n`) },
    ]) {
      const run = await runIdentity(args, { app: "fruit-api", region: REGION, runId: "r1" });
      const env = run.forRole("gamma", "arn:aws:iam::222222222222:role/dpra-gamma", REGION);
      produced.push(["run identity", run], ["env identity", env], ["principal", `${run.base.principal} ${env.principal}`]);
      await env.credentials();
    }

    // 2. Errors about credentials.
    for (const bad of [
      { accessKeyId: SECRETS.accessKeyId },
      { accessKeyId: SECRETS.accessKeyId, secretAccessKey: SECRETS.secretAccessKey, webIdentityToken: SECRETS.webIdentityToken },
      { webIdentityToken: SECRETS.webIdentityToken },
    ]) {
      produced.push([
        "credential error",
        (() => {
          try {
            credentialInputs(bad);
          } catch (e) {
            return e;
          }
        })(),
      ]);
    }
    const profileRun = await runIdentity({ awsProfileFile: secret(`[p]\naws_access_key_id = ${SECRETS.accessKeyId}\n`), awsProfile: "p" }, { app: "a", region: REGION }).catch(
      (e) => e,
    );
    produced.push(["profile error", profileRun]);

    // 3. Repository, publish (with the registry login), scan: the full happy path.
    const run = await runIdentity(
      { awsAccessKeyId: secret(SECRETS.accessKeyId), awsSecretAccessKey: secret(SECRETS.secretAccessKey) },
      { app: "fruit-api", region: REGION, runId: "r2" },
    );
    const registry = ecrRegistry(run.base, ACCOUNT, REGION, { sleep: async () => {} });
    const store = emptyStore();
    storeFor(ecr, { [ACCOUNT]: store });
    ecr.on(GetRegistryScanningConfigurationCommand).resolves({ scanningConfiguration: { scanType: "BASIC" } });
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: "fruit-api", imageTagMutability: "MUTABLE" }] });
    ecr.on(GetLifecyclePolicyCommand).resolves({ lifecyclePolicyText: "{}" });
    ecr.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [
        { authorizationToken: Buffer.from(`AWS:${SECRETS.registryPassword}`).toString("base64"), proxyEndpoint: `https://${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com` },
      ],
    });
    ecr.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: "COMPLETE" }, imageScanFindings: { findings: [] } });
    const desired = desiredRepository(ArtifactConfig.parse({ ecr: { repository: "fruit-api", account: ACCOUNT, region: REGION } }).ecr);
    produced.push(["repository report", await ensureRepository(registry, desired, { apply: false })]);
    const handedToEngine: string[] = [];
    const outcome = await publishImage(registry, { repository: "fruit-api", gitRevision: "abc123", runId: "r2", releaseTag: "v1" }, async (ref) => {
      const login = await registryLogin(registry);
      handedToEngine.push(login.password); // what the shell passes to dag.setSecret, and nowhere else
      store.tags.set(ref.slice(ref.lastIndexOf(":") + 1), DIGEST_A);
      store.manifests.set(DIGEST_A, { manifest: MANIFEST, mediaType: OCI_MANIFEST });
      return DIGEST_A;
    });
    expect(handedToEngine).toEqual([SECRETS.registryPassword]);
    produced.push(["publish outcome", outcome]);
    produced.push(["scan outcome", await waitForScanFindings(registry, { repository: "fruit-api", digest: DIGEST_A }, { timeoutSeconds: 1, sleep: async () => {} })]);

    // 4. An AWS error whose message echoes credentials.
    ecr.on(PutImageCommand).rejects(
      Object.assign(new Error(`Credential ${SECRETS.accessKeyId} signature ${SECRETS.secretAccessKey} rejected`), {
        name: "AccessDeniedException",
        $metadata: { httpStatusCode: 403 },
      }),
    );
    produced.push([
      "aws error",
      await publishImage(registry, { repository: "fruit-api", gitRevision: "abc123", runId: "r3", releaseTag: "v2" }, async () => DIGEST_A).catch((e) => e),
    ]);

    expect(produced.length).toBeGreaterThan(12);
    for (const [label, value] of produced) assertClean(label, value);
    assertClean("printed output", printed.join("\n"));
  });
});
