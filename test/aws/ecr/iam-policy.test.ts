// The documented IAM policies (docs/iam-policies.json) against the SDK commands the code actually
// sends. Every scenario that sends AWS calls runs here through the real clients with mocked
// transport; each call is attributed to the role whose client sent it (ECR) or signed it (STS).
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  BatchCheckLayerAvailabilityCommand,
  CompleteLayerUploadCommand,
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeRegistryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  GetDownloadUrlForLayerCommand,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  InitiateLayerUploadCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
  RepositoryNotFoundException,
  SetRepositoryPolicyCommand,
  UploadLayerPartCommand,
} from "@aws-sdk/client-ecr";
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/nested-clients/sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assumeRole, baseIdentity } from "../../../src/aws/credentials/providers.js";
import { ecrRegistry, type Registry } from "../../../src/aws/ecr/client.js";
import { registryLogin } from "../../../src/aws/ecr/images.js";
import { promoteImage } from "../../../src/aws/ecr/promote.js";
import { publishImage } from "../../../src/aws/ecr/publish.js";
import { desiredRepository, ensureRepository } from "../../../src/aws/ecr/repository.js";
import { waitForScanFindings } from "../../../src/aws/ecr/scan.js";
import { ArtifactConfig } from "../../../src/config/sections/artifact.js";
import { repoRoot } from "../../support/fixtures.js";
import { ACCOUNT, ARTIFACT_ROLE, DIGEST_A, emptyStore, GAMMA, GAMMA_ROLE, MANIFEST, OCI_MANIFEST, REGION, storeFor } from "./support.js";

type RoleName = "ci" | "artifact" | "environment";
interface DocumentedRole {
  sdkActions: string[];
  registryActions: string[];
  policy: { Statement: Array<{ Action: string | string[] }> };
  trustPolicy: { Statement: Array<{ Action: string | string[] }> };
}
const documented = JSON.parse(readFileSync(path.join(repoRoot, "docs", "iam-policies.json"), "utf8")) as { roles: Record<RoleName, DocumentedRole> };
const actionsOf = (doc: { Statement: Array<{ Action: string | string[] }> }) => new Set(doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));

/** `XxxCommand` sent by an ECR client -> `ecr:Xxx`. */
const action = (service: string, command: object) => `${service}:${command.constructor.name.replace(/Command$/, "")}`;

const observed: Record<RoleName, Set<string>> = { ci: new Set(), artifact: new Set(), environment: new Set() };
const observedTrust = new Set<string>();
const ecr = mockClient(ECRClient);
const sts = mockClient(STSClient);
const registries: Array<[Registry, RoleName]> = [];

function registryAs(role: RoleName, accountId: string, roleArn: string): Registry {
  const reg = ecrRegistry({ credentials: async () => ({ accessKeyId: "AKIDTEST", secretAccessKey: "s" }), principal: `role ${roleArn}` }, accountId, REGION, {
    sleep: async () => {},
  });
  registries.push([reg, role]);
  return reg;
}

beforeAll(async () => {
  const artifactStore = emptyStore();
  const gammaStore = emptyStore();
  storeFor(ecr, { [ACCOUNT]: artifactStore, [GAMMA]: gammaStore });
  const temp = { Credentials: { AccessKeyId: "ASIATEST", SecretAccessKey: "s", SessionToken: "t", Expiration: new Date(Date.now() + 3600_000) } };
  sts.on(AssumeRoleWithWebIdentityCommand).resolves(temp);
  sts.on(AssumeRoleCommand).callsFake(async (_input, getClient) => {
    await getClient().config.credentials(); // resolve the chain: the caller's identity signs AssumeRole
    return temp;
  });
  ecr.on(GetRegistryScanningConfigurationCommand).resolves({ scanningConfiguration: { scanType: "BASIC" } });
  ecr.on(CreateRepositoryCommand).resolves({ repository: { repositoryName: "fruit-api" } });
  ecr.on(PutLifecyclePolicyCommand).resolves({});
  ecr.on(SetRepositoryPolicyCommand).resolves({});
  ecr.on(PutImageTagMutabilityCommand).resolves({});
  ecr.on(PutImageScanningConfigurationCommand).resolves({});
  ecr.on(GetLifecyclePolicyCommand).resolves({ lifecyclePolicyText: "{}" });
  ecr.on(GetRepositoryPolicyCommand).resolves({ policyText: "{}" });
  ecr.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [{ authorizationToken: Buffer.from("AWS:pw").toString("base64"), proxyEndpoint: "https://h" }] });
  ecr.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: "COMPLETE" }, imageScanFindings: { findings: [] } });
  ecr.on(BatchCheckLayerAvailabilityCommand).resolves({ layers: [] });
  ecr.on(GetDownloadUrlForLayerCommand).resolves({ downloadUrl: "https://presigned.example/blob" });
  ecr.on(InitiateLayerUploadCommand).resolves({ uploadId: "u" });
  ecr.on(UploadLayerPartCommand).resolves({});
  ecr.on(CompleteLayerUploadCommand).resolves({});
  ecr.on(DescribeRegistryCommand).resolves({ replicationConfiguration: { rules: [] } });

  // Credentials: an OIDC token exchanged for the CI role, chained into the artifact and environment roles.
  const ci = baseIdentity({ kind: "webIdentity", token: "tok", roleArn: "arn:aws:iam::444444444444:role/dpra-ci" }, { sessionName: "s", region: REGION });
  await assumeRole(ci, { roleArn: ARTIFACT_ROLE, sessionName: "s", region: REGION }).credentials();
  await assumeRole(ci, { roleArn: GAMMA_ROLE, sessionName: "s", region: REGION }).credentials();

  const artifact = registryAs("artifact", ACCOUNT, ARTIFACT_ROLE);
  const gamma = registryAs("environment", GAMMA, GAMMA_ROLE);
  const config = ArtifactConfig.parse({ ecr: { repository: "fruit-api", account: ACCOUNT, region: REGION, pullAccounts: [GAMMA] } });
  // ensureRepository: create, then an existing repository with drift, reconciled.
  ecr.on(DescribeRepositoriesCommand).rejectsOnce(new RepositoryNotFoundException({ message: "none", $metadata: {} })).resolves({ repositories: [{ repositoryName: "fruit-api" }] });
  await ensureRepository(artifact, desiredRepository(config.ecr), { apply: false });
  await ensureRepository(artifact, desiredRepository(config.ecr), { apply: true });
  // publish: first push with a release tag, then a rerun; then the scan.
  const push = async (ref: string) => {
    await registryLogin(artifact);
    artifactStore.tags.set(ref.slice(ref.lastIndexOf(":") + 1), DIGEST_A);
    artifactStore.manifests.set(DIGEST_A, { manifest: MANIFEST, mediaType: OCI_MANIFEST });
    return DIGEST_A;
  };
  await publishImage(artifact, { repository: "fruit-api", gitRevision: "rev1", releaseTag: "v1", runId: "r1" }, push);
  await publishImage(artifact, { repository: "fruit-api", gitRevision: "rev1", runId: "r2" }, push);
  await waitForScanFindings(artifact, { repository: "fruit-api", digest: DIGEST_A }, { timeoutSeconds: 1, sleep: async () => {} });
  // promote: copy into gamma's registry, then (already there) a replication-style wait and re-tag.
  async function* blob() {
    yield new Uint8Array([1, 2, 3]);
  }
  await promoteImage({ registry: artifact, repository: "fruit-api" }, { registry: gamma, repository: "fruit-api" }, { digest: DIGEST_A, tag: "rev1", download: () => blob() });
  ecr.on(DescribeRegistryCommand).resolves({ replicationConfiguration: { rules: [{ destinations: [{ region: REGION, registryId: GAMMA }] }] } });
  await promoteImage({ registry: artifact, repository: "fruit-api" }, { registry: gamma, repository: "fruit-api" }, { digest: DIGEST_A, tag: "rev2" });
  await promoteImage({ registry: artifact, repository: "fruit-api" }, { registry: artifact, repository: "fruit-api" }, { digest: DIGEST_A, tag: "gamma-ok" });

  // Each registry's SDK client is made on its first call; map them back to the roles.
  const clients = new Map<unknown, RoleName>(await Promise.all(registries.map(async ([reg, role]) => [await reg.sdkClient(), role] as [unknown, RoleName])));
  for (const call of ecr.calls()) {
    const role = clients.get(call.thisValue);
    if (!role) throw new Error(`an ECR call by an unknown client: ${call.args[0].constructor.name}`);
    observed[role].add(action("ecr", call.args[0]));
  }
  for (const call of sts.calls()) {
    const sent = action("sts", call.args[0]);
    // AssumeRoleWithWebIdentity is unsigned: the CI role's trust policy authorises it.
    if (sent === "sts:AssumeRoleWithWebIdentity") observedTrust.add(sent);
    else observed.ci.add(sent);
  }
});
afterAll(() => {
  ecr.restore();
  sts.restore();
});

describe("documented IAM policies", () => {
  it.each(["ci", "artifact", "environment"] as const)("%s: documents exactly the SDK actions the code sends", (role) => {
    expect([...observed[role]].sort()).toEqual([...documented.roles[role].sdkActions].sort());
  });

  it.each(["ci", "artifact", "environment"] as const)("%s: the policy grants the SDK and registry actions, and nothing else", (role) => {
    const doc = documented.roles[role];
    expect([...actionsOf(doc.policy)].sort()).toEqual([...new Set([...doc.sdkActions, ...doc.registryActions])].sort());
  });

  it("the CI role's trust policy allows the web-identity exchange the code sends", () => {
    expect([...observedTrust]).toEqual(["sts:AssumeRoleWithWebIdentity"]);
    expect(actionsOf(documented.roles.ci.trustPolicy).has("sts:AssumeRoleWithWebIdentity")).toBe(true);
    expect(actionsOf(documented.roles.artifact.trustPolicy)).toEqual(new Set(["sts:AssumeRole"]));
    expect(actionsOf(documented.roles.environment.trustPolicy)).toEqual(new Set(["sts:AssumeRole"]));
  });
});
