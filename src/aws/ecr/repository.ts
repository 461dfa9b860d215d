// ensureRepository: create the repository with the pipeline's settings, or compare an existing one
// and report drift. Drift is only reconciled when `apply` is set; encryption cannot be changed on an
// existing repository, so that drift is reported as needing a new repository.
import type { Repository } from "@aws-sdk/client-ecr";
import { ecrSdk } from "../sdk.js";
import type { ArtifactConfig } from "../../config/sections/artifact.js";
import { ecrCall, optional, type Registry } from "./client.js";
import { canonicalJson, lifecyclePolicy, pullPolicy, samePolicy } from "./policies.js";

export interface DesiredRepository {
  name: string;
  encryption: { type: "AES256" | "KMS"; kmsKey?: string };
  lifecyclePolicy: Record<string, unknown>;
  /** Managed only when pull accounts are configured. */
  repositoryPolicy?: Record<string, unknown>;
}

export type DriftSetting = "tagMutability" | "scanOnPush" | "encryption" | "lifecyclePolicy" | "repositoryPolicy";

export interface Drift {
  setting: DriftSetting;
  expected: string;
  actual: string;
  /** The call that reconciles it, or `new-repository` when it cannot be changed in place. */
  fix: "PutImageTagMutability" | "PutImageScanningConfiguration" | "PutLifecyclePolicy" | "SetRepositoryPolicy" | "new-repository";
}

export interface RepositoryReport {
  repository: string;
  uri: string;
  created: boolean;
  /** BASIC: scan on push per repository. ENHANCED: Amazon Inspector scans per the registry's rules. */
  registryScanType: "BASIC" | "ENHANCED";
  drift: Drift[];
  /** Calls made to reconcile drift (only with apply). */
  applied: string[];
  /** Drift left in place: everything without apply; encryption drift always. */
  unresolved: Drift[];
}

export function desiredRepository(ecr: ArtifactConfig["ecr"]): DesiredRepository {
  return {
    name: ecr.repository,
    encryption: { type: ecr.encryption.type, ...(ecr.encryption.kmsKey ? { kmsKey: ecr.encryption.kmsKey } : {}) },
    lifecyclePolicy: lifecyclePolicy(ecr.lifecycle.keepTagged, ecr.lifecycle.untaggedDays),
    ...(ecr.pullAccounts.length > 0 ? { repositoryPolicy: pullPolicy(ecr.pullAccounts, ecr.region) } : {}),
  };
}

/** What differs between an existing repository and the desired settings. Pure: the caller fetched `actual`. */
export function compareRepository(
  desired: DesiredRepository,
  actual: { repository: Repository; lifecyclePolicyText?: string; repositoryPolicyText?: string; registryScanType: "BASIC" | "ENHANCED" },
): Drift[] {
  const drift: Drift[] = [];
  const repo = actual.repository;
  const mutability = repo.imageTagMutability ?? "MUTABLE";
  if (mutability !== "IMMUTABLE") {
    drift.push({ setting: "tagMutability", expected: "IMMUTABLE", actual: mutability, fix: "PutImageTagMutability" });
  }
  if (actual.registryScanType === "BASIC" && repo.imageScanningConfiguration?.scanOnPush !== true) {
    drift.push({ setting: "scanOnPush", expected: "true", actual: "false", fix: "PutImageScanningConfiguration" });
  }
  const enc = repo.encryptionConfiguration;
  const actualType = enc?.encryptionType ?? "AES256";
  const keyMatches = desired.encryption.kmsKey === undefined || enc?.kmsKey === desired.encryption.kmsKey || (enc?.kmsKey?.endsWith(`/${desired.encryption.kmsKey}`) ?? false);
  if (actualType !== desired.encryption.type || (desired.encryption.type === "KMS" && !keyMatches)) {
    drift.push({
      setting: "encryption",
      expected: describeEncryption(desired.encryption.type, desired.encryption.kmsKey),
      actual: describeEncryption(actualType, enc?.kmsKey),
      fix: "new-repository",
    });
  }
  if (!samePolicy(actual.lifecyclePolicyText, desired.lifecyclePolicy)) {
    drift.push({
      setting: "lifecyclePolicy",
      expected: canonicalJson(desired.lifecyclePolicy),
      actual: actual.lifecyclePolicyText ?? "none",
      fix: "PutLifecyclePolicy",
    });
  }
  if (desired.repositoryPolicy && !samePolicy(actual.repositoryPolicyText, desired.repositoryPolicy)) {
    drift.push({
      setting: "repositoryPolicy",
      expected: canonicalJson(desired.repositoryPolicy),
      actual: actual.repositoryPolicyText ?? "none",
      fix: "SetRepositoryPolicy",
    });
  }
  return drift;
}

function describeEncryption(type: string, key: string | undefined): string {
  return key ? `${type} (${key})` : type;
}

/** Creates the repository, or checks it and (with apply) reconciles drift. Safe to rerun. */
export async function ensureRepository(registry: Registry, desired: DesiredRepository, opts: { apply: boolean }): Promise<RepositoryReport> {
  const name = desired.name;
  const scanning = await ecrCall(registry, "GetRegistryScanningConfiguration", undefined, async () =>
    registry.client.send(new (await ecrSdk()).GetRegistryScanningConfigurationCommand({})),
  );
  const registryScanType = scanning.scanningConfiguration?.scanType === "ENHANCED" ? "ENHANCED" : "BASIC";
  let existing = await describeRepository(registry, name);
  let created = false;
  if (!existing) {
    existing = await createRepository(registry, desired);
    created = existing !== undefined;
    existing ??= await describeRepository(registry, name);
    if (!existing) throw new Error(`ECR repository ${name}: created but DescribeRepositories does not find it; rerun.`);
  }
  if (created) {
    await putLifecyclePolicy(registry, desired);
    if (desired.repositoryPolicy) await setRepositoryPolicy(registry, desired);
    return { repository: name, uri: existing.repositoryUri ?? "", created, registryScanType, drift: [], applied: [], unresolved: [] };
  }
  const lifecyclePolicyText = await optional("LifecyclePolicyNotFoundException", () =>
    ecrCall(registry, "GetLifecyclePolicy", name, async () =>
      registry.client.send(new (await ecrSdk()).GetLifecyclePolicyCommand({ repositoryName: name, registryId: registry.accountId })),
    ),
  ).then((r) => r?.lifecyclePolicyText);
  const repositoryPolicyText = desired.repositoryPolicy
    ? await optional("RepositoryPolicyNotFoundException", () =>
        ecrCall(registry, "GetRepositoryPolicy", name, async () =>
          registry.client.send(new (await ecrSdk()).GetRepositoryPolicyCommand({ repositoryName: name, registryId: registry.accountId })),
        ),
      ).then((r) => r?.policyText)
    : undefined;
  const drift = compareRepository(desired, {
    repository: existing,
    registryScanType,
    ...(lifecyclePolicyText !== undefined ? { lifecyclePolicyText } : {}),
    ...(repositoryPolicyText !== undefined ? { repositoryPolicyText } : {}),
  });
  const applied: string[] = [];
  const unresolved: Drift[] = [];
  for (const d of drift) {
    if (!opts.apply || d.fix === "new-repository") {
      unresolved.push(d);
      continue;
    }
    await reconcile(registry, desired, d);
    applied.push(d.fix);
  }
  return { repository: name, uri: existing.repositoryUri ?? "", created, registryScanType, drift, applied, unresolved };
}

async function describeRepository(registry: Registry, name: string): Promise<Repository | undefined> {
  const out = await optional("RepositoryNotFoundException", () =>
    ecrCall(registry, "DescribeRepositories", name, async () =>
      registry.client.send(new (await ecrSdk()).DescribeRepositoriesCommand({ repositoryNames: [name], registryId: registry.accountId })),
    ),
  );
  return out?.repositories?.[0];
}

/** Undefined when another run created it first (the caller then describes it). */
async function createRepository(registry: Registry, desired: DesiredRepository): Promise<Repository | undefined> {
  const out = await optional("RepositoryAlreadyExistsException", () =>
    ecrCall(registry, "CreateRepository", desired.name, async () =>
      registry.client.send(
        new (await ecrSdk()).CreateRepositoryCommand({
          repositoryName: desired.name,
          registryId: registry.accountId,
          imageTagMutability: "IMMUTABLE",
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfiguration: {
            encryptionType: desired.encryption.type,
            ...(desired.encryption.kmsKey ? { kmsKey: desired.encryption.kmsKey } : {}),
          },
        }),
      ),
    ),
  );
  return out?.repository;
}

async function reconcile(registry: Registry, desired: DesiredRepository, d: Drift): Promise<void> {
  const repositoryName = desired.name;
  const registryId = registry.accountId;
  switch (d.fix) {
    case "PutImageTagMutability":
      await ecrCall(registry, "PutImageTagMutability", repositoryName, async () =>
        registry.client.send(new (await ecrSdk()).PutImageTagMutabilityCommand({ repositoryName, registryId, imageTagMutability: "IMMUTABLE" })),
      );
      return;
    case "PutImageScanningConfiguration":
      await ecrCall(registry, "PutImageScanningConfiguration", repositoryName, async () =>
        registry.client.send(new (await ecrSdk()).PutImageScanningConfigurationCommand({ repositoryName, registryId, imageScanningConfiguration: { scanOnPush: true } })),
      );
      return;
    case "PutLifecyclePolicy":
      await putLifecyclePolicy(registry, desired);
      return;
    case "SetRepositoryPolicy":
      await setRepositoryPolicy(registry, desired);
      return;
    case "new-repository":
      return;
  }
}

async function putLifecyclePolicy(registry: Registry, desired: DesiredRepository): Promise<void> {
  await ecrCall(registry, "PutLifecyclePolicy", desired.name, async () =>
    registry.client.send(
      new (await ecrSdk()).PutLifecyclePolicyCommand({
        repositoryName: desired.name,
        registryId: registry.accountId,
        lifecyclePolicyText: JSON.stringify(desired.lifecyclePolicy),
      }),
    ),
  );
}

async function setRepositoryPolicy(registry: Registry, desired: DesiredRepository): Promise<void> {
  await ecrCall(registry, "SetRepositoryPolicy", desired.name, async () =>
    registry.client.send(
      new (await ecrSdk()).SetRepositoryPolicyCommand({
        repositoryName: desired.name,
        registryId: registry.accountId,
        policyText: JSON.stringify(desired.repositoryPolicy),
      }),
    ),
  );
}

/** A one-line summary per drift, for logs and reports. */
export function describeDrift(report: RepositoryReport): string[] {
  return report.drift.map((d) => {
    const state = report.applied.includes(d.fix) ? "reconciled" : d.fix === "new-repository" ? "needs a new repository" : "not applied (rerun with --apply)";
    return `${report.repository}: ${d.setting} is ${d.actual}, expected ${d.expected}: ${state}`;
  });
}
