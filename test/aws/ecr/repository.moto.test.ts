// Level 2 (moto over HTTP): the ECR repository settings and drift (src/aws/ecr/repository.ts),
// reached the way publish reaches them: the caller's keys chained with STS AssumeRole into the
// repository account's role (src/aws/credentials/providers.ts), then ECR calls signed with the
// session, all with the real SDK clients against moto_server 5.2.1 (test/support/moto.ts). The
// project's clients find moto through AWS_ENDPOINT_URL, the SDK's standard variable. Settings are
// changed behind the pipeline's back with plain ECR calls. moto is an emulator, not AWS.
//
// Not served by moto 5.2.1: a role that may not be assumed (moto's AssumeRole accepts any role) and
// throttling; both stay on aws-sdk-client-mock (test/aws/credentials/credentials.test.ts,
// test/aws/ecr/retry.test.ts, level 3).
import {
  CreateRepositoryCommand,
  DeleteLifecyclePolicyCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  GetRepositoryPolicyCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
} from "@aws-sdk/client-ecr";
import { beforeEach, expect, it } from "vitest";
import { assumeRole, baseIdentity, type AwsIdentity } from "../../../src/aws/credentials/providers.js";
import { ecrRegistry, type Registry } from "../../../src/aws/ecr/client.js";
import { samePolicy } from "../../../src/aws/ecr/policies.js";
import { describeDrift, desiredRepository, ensureRepository, type DesiredRepository } from "../../../src/aws/ecr/repository.js";
import { ArtifactConfig } from "../../../src/config/sections/artifact.js";
import { MOTO_ACCOUNT, MOTO_REGION, motoClientConfig, resolveMoto, useMoto, useMotoEnvironment } from "../../support/moto.js";
import { describeReal } from "../../support/real.js";

const ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/dpra-publish`;

describeReal(
  "moto",
  () => {
    const moto = useMoto();
    useMotoEnvironment(moto);
    let identity: AwsIdentity;
    let registry: Registry;
    let ecr: ECRClient;
    let desired: DesiredRepository;
    beforeEach(() => {
      const caller = baseIdentity({ kind: "keys", accessKeyId: "moto-caller-key", secretAccessKey: "moto-caller-secret" }, { sessionName: "dpra-test", region: MOTO_REGION });
      identity = assumeRole(caller, { roleArn: ROLE, sessionName: "dpra-test-publish", region: MOTO_REGION });
      registry = ecrRegistry(identity, MOTO_ACCOUNT, MOTO_REGION);
      ecr = new ECRClient(motoClientConfig(moto()));
      const config = ArtifactConfig.parse({ ecr: { repository: "moto-app", account: MOTO_ACCOUNT, region: MOTO_REGION, roleArn: ROLE, pullAccounts: ["210987654321"] } });
      desired = desiredRepository(config.ecr);
    });
    const repository = async () => (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["moto-app"] }))).repositories?.[0];

    it("chains the caller's keys into the repository account's role with STS, for a session of at most one hour", async () => {
      const started = Date.now();
      const session = await identity.credentials();
      expect(identity.principal).toBe(`role ${ROLE}`);
      expect(session.accessKeyId).toMatch(/^ASIA/);
      expect(session.accessKeyId).not.toBe("moto-caller-key");
      expect(session.sessionToken).toBeTruthy();
      const lifetime = (session.expiration?.getTime() ?? 0) - started;
      expect(lifetime).toBeGreaterThan(3_500_000);
      expect(lifetime).toBeLessThanOrEqual(3_600_000 + 5_000);
    });

    it("creates the repository with the pipeline's settings: immutable tags, scan on push, AES256, lifecycle and pull policies", async () => {
      const report = await ensureRepository(registry, desired, { apply: false });
      expect(report).toEqual({
        repository: "moto-app",
        uri: `${MOTO_ACCOUNT}.dkr.ecr.${MOTO_REGION}.amazonaws.com/moto-app`,
        created: true,
        registryScanType: "BASIC",
        drift: [],
        applied: [],
        unresolved: [],
      });
      const repo = await repository();
      expect(repo?.imageTagMutability).toBe("IMMUTABLE");
      expect(repo?.imageScanningConfiguration?.scanOnPush).toBe(true);
      expect(repo?.encryptionConfiguration?.encryptionType).toBe("AES256");
      const lifecycle = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: "moto-app" }));
      expect(samePolicy(lifecycle.lifecyclePolicyText, desired.lifecyclePolicy)).toBe(true);
      const policy = await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: "moto-app" }));
      expect(samePolicy(policy.policyText, desired.repositoryPolicy!)).toBe(true);
    });

    it("a rerun finds the repository as it left it: no drift, nothing applied", async () => {
      await ensureRepository(registry, desired, { apply: false });
      const again = await ensureRepository(registry, desired, { apply: true });
      expect(again).toMatchObject({ created: false, drift: [], applied: [], unresolved: [] });
    });

    it("reports settings changed by hand without --apply, reconciles them with it, and then finds none", async () => {
      await ensureRepository(registry, desired, { apply: false });
      await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: "moto-app", imageTagMutability: "MUTABLE" }));
      await ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: "moto-app", imageScanningConfiguration: { scanOnPush: false } }));
      await ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: "moto-app" }));

      const seen = await ensureRepository(registry, desired, { apply: false });
      expect(seen.drift.map((d) => [d.setting, d.actual, d.fix])).toEqual([
        ["tagMutability", "MUTABLE", "PutImageTagMutability"],
        ["scanOnPush", "false", "PutImageScanningConfiguration"],
        ["lifecyclePolicy", "none", "PutLifecyclePolicy"],
      ]);
      expect(seen.applied).toEqual([]);
      expect(describeDrift(seen)).toContain("moto-app: tagMutability is MUTABLE, expected IMMUTABLE: not applied (rerun with --apply)");
      expect((await repository())?.imageTagMutability).toBe("MUTABLE");

      const fixed = await ensureRepository(registry, desired, { apply: true });
      expect(fixed.applied).toEqual(["PutImageTagMutability", "PutImageScanningConfiguration", "PutLifecyclePolicy"]);
      expect(fixed.unresolved).toEqual([]);
      expect((await repository())?.imageTagMutability).toBe("IMMUTABLE");
      expect((await ensureRepository(registry, desired, { apply: false })).drift).toEqual([]);
    });

    it("encryption that differs cannot be changed in place: reported as needing a new repository, even with --apply", async () => {
      await ecr.send(
        new CreateRepositoryCommand({
          repositoryName: "moto-app",
          imageTagMutability: "IMMUTABLE",
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfiguration: { encryptionType: "KMS", kmsKey: `arn:aws:kms:${MOTO_REGION}:${MOTO_ACCOUNT}:key/moto-app` },
        }),
      );
      const report = await ensureRepository(registry, desired, { apply: true });
      expect(report.created).toBe(false);
      const encryption = report.unresolved.find((d) => d.setting === "encryption");
      expect(encryption).toEqual({ setting: "encryption", expected: "AES256", actual: `KMS (arn:aws:kms:${MOTO_REGION}:${MOTO_ACCOUNT}:key/moto-app)`, fix: "new-repository" });
      expect(describeDrift(report)).toContain(`moto-app: encryption is KMS (arn:aws:kms:${MOTO_REGION}:${MOTO_ACCOUNT}:key/moto-app), expected AES256: needs a new repository`);
      expect(report.applied).toEqual(["PutLifecyclePolicy", "SetRepositoryPolicy"]);
    });
  },
  resolveMoto,
);
