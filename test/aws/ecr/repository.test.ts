import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
  RepositoryAlreadyExistsException,
  RepositoryNotFoundException,
  SetRepositoryPolicyCommand,
  LifecyclePolicyNotFoundException,
} from "@aws-sdk/client-ecr";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { desiredRepository, describeDrift, ensureRepository, compareRepository } from "../../../src/aws/ecr/repository.js";
import { lifecyclePolicy, pullPolicy } from "../../../src/aws/ecr/policies.js";
import { ArtifactConfig } from "../../../src/config/sections/artifact.js";
import { ACCOUNT, awsError, ecrMock, GAMMA, PROD, REGION, registry } from "../../support/ecr-stubs.js";

const artifact = ArtifactConfig.parse({
  ecr: { repository: "fruit-api", account: ACCOUNT, region: REGION, lifecycle: { keepTagged: 30, untaggedDays: 3 }, pullAccounts: [PROD, GAMMA] },
});
const desired = desiredRepository(artifact.ecr);
const uri = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/fruit-api`;

const compliant = {
  repositoryName: "fruit-api",
  repositoryUri: uri,
  imageTagMutability: "IMMUTABLE" as const,
  imageScanningConfiguration: { scanOnPush: true },
  encryptionConfiguration: { encryptionType: "AES256" as const },
};

let ecr: ReturnType<typeof ecrMock>;
beforeEach(() => {
  ecr = ecrMock();
  ecr.on(GetRegistryScanningConfigurationCommand).resolves({ registryId: ACCOUNT, scanningConfiguration: { scanType: "BASIC", rules: [] } });
});
afterEach(() => ecr.restore());

describe("desired settings", () => {
  it("derives the lifecycle policy and the pull policy from config", () => {
    expect(desired.lifecyclePolicy).toEqual(lifecyclePolicy(30, 3));
    const rules = lifecyclePolicy(30, 3).rules;
    expect(rules[0]!.selection).toMatchObject({ tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 3 });
    expect(rules[1]!.selection).toMatchObject({ tagStatus: "tagged", countType: "imageCountMoreThan", countNumber: 30 });
    expect(pullPolicy([PROD, GAMMA], REGION)).toMatchObject({
      Statement: [{ Principal: { AWS: [`arn:aws:iam::${GAMMA}:root`, `arn:aws:iam::${PROD}:root`] }, Effect: "Allow" }],
    });
    expect(pullPolicy([GAMMA], "cn-north-1")).toMatchObject({ Statement: [{ Principal: { AWS: [`arn:aws-cn:iam::${GAMMA}:root`] } }] });
  });

  it("manages no repository policy when no pull accounts are configured", () => {
    const bare = desiredRepository(ArtifactConfig.parse({ ecr: { repository: "x", account: ACCOUNT, region: REGION } }).ecr);
    expect(bare.repositoryPolicy).toBeUndefined();
  });
});

describe("ensureRepository", () => {
  it("creates a missing repository with immutable tags, scan on push, encryption, lifecycle and pull policy", async () => {
    ecr.on(DescribeRepositoriesCommand).rejects(new RepositoryNotFoundException({ message: "not found", $metadata: {} }));
    ecr.on(CreateRepositoryCommand).resolves({ repository: compliant });
    const report = await ensureRepository(registry(), desired, { apply: false });
    expect(report).toMatchObject({ created: true, drift: [], uri });
    const create = ecr.commandCalls(CreateRepositoryCommand)[0]!.args[0].input;
    expect(create).toMatchObject({
      repositoryName: "fruit-api",
      registryId: ACCOUNT,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: "AES256" },
    });
    expect(JSON.parse(ecr.commandCalls(PutLifecyclePolicyCommand)[0]!.args[0].input.lifecyclePolicyText!)).toEqual(lifecyclePolicy(30, 3));
    expect(JSON.parse(ecr.commandCalls(SetRepositoryPolicyCommand)[0]!.args[0].input.policyText!)).toEqual(desired.repositoryPolicy);
  });

  it("creates with a KMS key when configured", async () => {
    const kms = desiredRepository(
      ArtifactConfig.parse({ ecr: { repository: "fruit-api", account: ACCOUNT, region: REGION, encryption: { type: "KMS", kmsKey: "alias/ecr" } } }).ecr,
    );
    ecr.on(DescribeRepositoriesCommand).rejects(new RepositoryNotFoundException({ message: "not found", $metadata: {} }));
    ecr.on(CreateRepositoryCommand).resolves({ repository: compliant });
    await ensureRepository(registry(), kms, { apply: false });
    expect(ecr.commandCalls(CreateRepositoryCommand)[0]!.args[0].input.encryptionConfiguration).toEqual({ encryptionType: "KMS", kmsKey: "alias/ecr" });
  });

  it("rides out throttling of DescribeRepositories and still reports correctly", async () => {
    ecr
      .on(DescribeRepositoriesCommand)
      .rejectsOnce(awsError("ThrottlingException", "Rate exceeded"))
      .resolves({ repositories: [compliant] });
    ecr.on(GetLifecyclePolicyCommand).resolves({ lifecyclePolicyText: JSON.stringify(desired.lifecyclePolicy) });
    ecr.on(GetRepositoryPolicyCommand).resolves({ policyText: JSON.stringify(desired.repositoryPolicy) });
    const report = await ensureRepository(registry(), desired, { apply: false });
    expect(report).toMatchObject({ created: false, drift: [] });
    expect(ecr.commandCalls(DescribeRepositoriesCommand)).toHaveLength(2);
  });

  it("treats a repository created concurrently by another run as existing", async () => {
    ecr
      .on(DescribeRepositoriesCommand)
      .rejectsOnce(new RepositoryNotFoundException({ message: "not found", $metadata: {} }))
      .resolves({ repositories: [compliant] });
    ecr.on(CreateRepositoryCommand).rejects(new RepositoryAlreadyExistsException({ message: "exists", $metadata: {} }));
    ecr.on(GetLifecyclePolicyCommand).resolves({ lifecyclePolicyText: JSON.stringify(desired.lifecyclePolicy) });
    ecr.on(GetRepositoryPolicyCommand).resolves({ policyText: JSON.stringify(desired.repositoryPolicy) });
    const report = await ensureRepository(registry(), desired, { apply: false });
    expect(report).toMatchObject({ created: false, drift: [] });
  });

  it("reports no drift on a compliant repository, even when AWS re-formats the stored policies", async () => {
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [compliant] });
    ecr.on(GetLifecyclePolicyCommand).resolves({ lifecyclePolicyText: JSON.stringify(desired.lifecyclePolicy, null, 4) });
    const policy = structuredClone(desired.repositoryPolicy) as { Statement: Array<{ Principal: { AWS: string[] }; Action: string[] }> };
    policy.Statement[0]!.Principal.AWS.reverse();
    policy.Statement[0]!.Action.reverse();
    ecr.on(GetRepositoryPolicyCommand).resolves({ policyText: JSON.stringify(policy, null, 2) });
    const report = await ensureRepository(registry(), desired, { apply: true });
    expect(report).toMatchObject({ created: false, drift: [], applied: [] });
    expect(ecr.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
  });

  const drifted = {
    ...compliant,
    imageTagMutability: "MUTABLE" as const,
    imageScanningConfiguration: { scanOnPush: false },
    encryptionConfiguration: { encryptionType: "KMS" as const, kmsKey: "arn:aws:kms:eu-west-1:111111111111:key/k1" },
  };

  it("reports drift without changing anything when apply is not set", async () => {
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [drifted] });
    ecr.on(GetLifecyclePolicyCommand).rejects(new LifecyclePolicyNotFoundException({ message: "none", $metadata: {} }));
    ecr.on(GetRepositoryPolicyCommand).resolves({ policyText: JSON.stringify(pullPolicy([GAMMA], REGION)) });
    const report = await ensureRepository(registry(), desired, { apply: false });
    expect(report.drift.map((d) => d.setting).sort()).toEqual(["encryption", "lifecyclePolicy", "repositoryPolicy", "scanOnPush", "tagMutability"]);
    expect(report.applied).toEqual([]);
    expect(report.unresolved).toHaveLength(5);
    const puts = ["PutImageTagMutabilityCommand", "PutImageScanningConfigurationCommand", "PutLifecyclePolicyCommand", "SetRepositoryPolicyCommand"];
    expect(ecr.calls().filter((c) => puts.includes(c.args[0].constructor.name))).toEqual([]);
    expect(describeDrift(report)).toContain("fruit-api: tagMutability is MUTABLE, expected IMMUTABLE: not applied (rerun with --apply)");
  });

  it("reconciles drift with apply, and reports encryption drift as needing a new repository", async () => {
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [drifted] });
    ecr.on(GetLifecyclePolicyCommand).rejects(new LifecyclePolicyNotFoundException({ message: "none", $metadata: {} }));
    ecr.on(GetRepositoryPolicyCommand).rejects(awsError("RepositoryPolicyNotFoundException", "none"));
    const report = await ensureRepository(registry(), desired, { apply: true });
    expect(report.applied.sort()).toEqual(["PutImageScanningConfiguration", "PutImageTagMutability", "PutLifecyclePolicy", "SetRepositoryPolicy"]);
    expect(report.unresolved).toEqual([{ setting: "encryption", expected: "AES256", actual: "KMS (arn:aws:kms:eu-west-1:111111111111:key/k1)", fix: "new-repository" }]);
    expect(ecr.commandCalls(PutImageTagMutabilityCommand)[0]!.args[0].input).toMatchObject({ imageTagMutability: "IMMUTABLE" });
    expect(ecr.commandCalls(PutImageScanningConfigurationCommand)[0]!.args[0].input).toMatchObject({ imageScanningConfiguration: { scanOnPush: true } });
    expect(describeDrift(report)).toContain("fruit-api: encryption is KMS (arn:aws:kms:eu-west-1:111111111111:key/k1), expected AES256: needs a new repository");
  });

  it("does not require scan on push per repository when the registry uses enhanced scanning", async () => {
    ecr.on(GetRegistryScanningConfigurationCommand).resolves({ scanningConfiguration: { scanType: "ENHANCED" } });
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ ...compliant, imageScanningConfiguration: { scanOnPush: false } }] });
    ecr.on(GetLifecyclePolicyCommand).resolves({ lifecyclePolicyText: JSON.stringify(desired.lifecyclePolicy) });
    ecr.on(GetRepositoryPolicyCommand).resolves({ policyText: JSON.stringify(desired.repositoryPolicy) });
    const report = await ensureRepository(registry(), desired, { apply: false });
    expect(report).toMatchObject({ registryScanType: "ENHANCED", drift: [] });
  });

  it("matches a KMS key given by ID against the key ARN AWS reports", () => {
    const kms = desiredRepository(ArtifactConfig.parse({ ecr: { repository: "r", account: ACCOUNT, region: REGION, encryption: { type: "KMS", kmsKey: "k1" } } }).ecr);
    const drift = compareRepository(kms, {
      repository: { ...compliant, encryptionConfiguration: { encryptionType: "KMS", kmsKey: "arn:aws:kms:eu-west-1:111111111111:key/k1" } },
      registryScanType: "BASIC",
      lifecyclePolicyText: JSON.stringify(kms.lifecyclePolicy),
    });
    expect(drift).toEqual([]);
  });
});
