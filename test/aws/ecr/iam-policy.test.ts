// The documented IAM policies (docs/iam-policies.json) against the SDK commands the code actually
// sends. ECR and STS: every scenario that sends AWS calls runs here through the real clients with
// mocked transport; each call is attributed to the role whose client sent it (ECR) or signed it
// (STS). CloudFormation, CloudWatch, Synthetics, FIS, ECS and the example app's Secrets Manager read: a
// type-checked scan of the code for SDK commands (test/support/sdk-commands.ts), attributed to
// the role whose `sources` hold the file.
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
import { scanSdkCommands, type SentCommand } from "../../support/sdk-commands.js";
import { ACCOUNT, ARTIFACT_ROLE, DIGEST_A, emptyStore, GAMMA, GAMMA_ROLE, MANIFEST, OCI_MANIFEST, REGION, storeFor } from "../../support/ecr-stubs.js";

type RoleName = "ci" | "artifact" | "environment" | "application";
const ROLES = ["ci", "artifact", "environment", "application"] as const;
interface DocumentedRole {
  /** Code whose SDK commands run as this role (attributed by the static scan). */
  sources: string[];
  sdkActions: string[];
  registryActions: string[];
  /** Actions AWS checks on the caller in addition to an API action, with the API actions they go with. */
  serviceActions: Array<{ action: string; for: string[]; why: string }>;
  policy: { Statement: Array<{ Action: string | string[] }> };
  trustPolicy: { Statement: Array<{ Action: string | string[] }> };
}
const documented = JSON.parse(readFileSync(path.join(repoRoot, "docs", "iam-policies.json"), "utf8")) as { roles: Record<RoleName, DocumentedRole> };
const actionsOf = (doc: { Statement: Array<{ Action: string | string[] }> }) => new Set(doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));

/** `XxxCommand` sent by an ECR client -> `ecr:Xxx`. */
const action = (service: string, command: object) => `${service}:${command.constructor.name.replace(/Command$/, "")}`;

const observed: Record<RoleName, Set<string>> = { ci: new Set(), artifact: new Set(), environment: new Set(), application: new Set() };
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

/**
 * Command classes the code declares itself: the Synthetics dry-run operations, built on the SDK's
 * UpdateCanary and GetCanaryRuns commands (src/aws/synthetics/dry-run.ts). Their IAM actions are
 * the operations' own names in the Service Authorization Reference.
 */
const LOCAL_COMMANDS = {
  StartCanaryDryRunCommand: "synthetics:StartCanaryDryRun",
  GetDryRunRunsCommand: "synthetics:GetCanaryRuns",
  PromoteDryRunCommand: "synthetics:UpdateCanary",
};
/** Where the ECR and STS calls are attributed by running the scenarios (below), not by folder. */
const DYNAMIC_SOURCES = ["src/aws/ecr", "src/aws/credentials"];

let scanned: SentCommand[] = [];
let unresolved: string[] = [];

beforeAll(() => {
  const root = scanSdkCommands(repoRoot, "tsconfig.json", ["src/"], LOCAL_COMMANDS);
  const example = scanSdkCommands(path.join(repoRoot, "examples", "fruit-api"), "tsconfig.json", ["src/"]);
  scanned = [...root.commands, ...example.commands.map((c) => ({ ...c, file: path.join("examples", "fruit-api", c.file) }))];
  unresolved = [...root.unresolved, ...example.unresolved];
}, 60_000);

/** The statically scanned actions sent from the role's `sources`. */
function staticActions(role: RoleName): Set<string> {
  const sources = documented.roles[role].sources;
  return new Set(scanned.filter((c) => sources.some((s) => c.file.startsWith(`${s}/`))).map((c) => c.action));
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
  ecr
    .on(DescribeRepositoriesCommand)
    .rejectsOnce(new RepositoryNotFoundException({ message: "none", $metadata: {} }))
    .resolves({ repositories: [{ repositoryName: "fruit-api" }] });
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
  // A prod-only release reads the digest's Gamma verdict referrers as the environment's role (ORAS, with this login).
  await registryLogin(gamma);

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
  it.each(ROLES)("%s: documents exactly the SDK actions the code sends as this role", (role) => {
    const sent = new Set([...observed[role], ...staticActions(role)]);
    expect([...sent].sort()).toEqual([...documented.roles[role].sdkActions].sort());
  });

  it.each(ROLES)("%s: the policy grants the SDK, registry and service actions, and nothing else", (role) => {
    const doc = documented.roles[role];
    const wanted = new Set([...doc.sdkActions, ...doc.registryActions, ...doc.serviceActions.map((s) => s.action)]);
    expect([...actionsOf(doc.policy)].sort()).toEqual([...wanted].sort());
  });

  it.each(ROLES)("%s: each service action goes with an SDK action the role sends, and says why", (role) => {
    for (const s of documented.roles[role].serviceActions) {
      expect(
        s.for.filter((a) => !documented.roles[role].sdkActions.includes(a)),
        `${s.action} for`,
      ).toEqual([]);
      expect(s.for.length).toBeGreaterThan(0);
      expect(s.why.length).toBeGreaterThan(10);
    }
  });

  it("the CI role's trust policy allows the web-identity exchange the code sends", () => {
    expect([...observedTrust]).toEqual(["sts:AssumeRoleWithWebIdentity"]);
    expect(actionsOf(documented.roles.ci.trustPolicy).has("sts:AssumeRoleWithWebIdentity")).toBe(true);
    expect(actionsOf(documented.roles.artifact.trustPolicy)).toEqual(new Set(["sts:AssumeRole"]));
    expect(actionsOf(documented.roles.environment.trustPolicy)).toEqual(new Set(["sts:AssumeRole"]));
  });
});

describe("every AWS client is covered", () => {
  it("every SDK command in the code resolves to a service and an operation", () => {
    expect(unresolved).toEqual([]);
    // The scan sees what these tests rely on; a scan that found nothing would pass everything above.
    const services = new Set(scanned.map((c) => c.action.split(":")[0]));
    expect([...services].sort()).toEqual(["cloudformation", "cloudwatch", "ecr", "ecs", "fis", "secretsmanager", "synthetics"]);
  });

  it("every file that sends SDK commands runs as a documented role", () => {
    const covered = [...DYNAMIC_SOURCES, ...ROLES.flatMap((r) => documented.roles[r].sources)];
    const orphans = [...new Set(scanned.filter((c) => !covered.some((s) => c.file.startsWith(`${s}/`))).map((c) => `${c.file}: ${c.action}`))];
    expect(orphans).toEqual([]);
  });

  it("the ECR scenarios above exercise every ECR command the code constructs", () => {
    const inCode = new Set(scanned.filter((c) => c.file.startsWith("src/aws/ecr/")).map((c) => c.action));
    const exercised = new Set([...observed.artifact, ...observed.environment].filter((a) => a.startsWith("ecr:")));
    expect([...inCode].sort()).toEqual([...exercised].sort());
  });

  it("a command constructed in the dynamically attributed folders is exercised by the scenarios", () => {
    const exercised = new Set(ROLES.flatMap((r) => [...observed[r]]));
    const missed = scanned.filter((c) => DYNAMIC_SOURCES.some((s) => c.file.startsWith(`${s}/`)) && !exercised.has(c.action));
    expect(missed.map((c) => `${c.file}:${c.line} ${c.action}`)).toEqual([]);
  });

  it("the example template's task role grants exactly the application role's actions", () => {
    const template = readFileSync(path.join(repoRoot, "examples", "fruit-api", "infra", "template.yaml"), "utf8");
    const start = template.indexOf("\n  TaskRole:\n");
    expect(start).toBeGreaterThan(0);
    const end = template.slice(start + 1).search(/\n {2}[A-Za-z]+:\n/);
    const block = template.slice(start, start + 1 + end);
    const granted = [...block.matchAll(/Action: ([a-z0-9-]+:[A-Za-z]+)/g)].map((m) => m[1]).filter((a) => a !== "sts:AssumeRole");
    expect(granted).toEqual(documented.roles.application.sdkActions);
  });
});
