// Level 2 (moto over HTTP): waiting for the ECR scan of a pushed image and mapping its findings
// (src/aws/ecr/scan.ts), with the real ECR SDK client against moto_server 5.2.1
// (test/support/moto.ts). moto is an emulator, not AWS: it does not scan on push and has no
// scanner. A scan exists once StartImageScan was called; its result is moto's fixed one
// (CVE-9999-9999, HIGH, in package moto_fake 9.9.9) unless a result is set through moto's API
// (`POST /moto-api/static/ecr/scan-finding-results`), as the "failed scan" test does. Scans that
// stay IN_PROGRESS, enhanced (Inspector) findings and paging stay on aws-sdk-client-mock in
// test/aws/ecr/scan.test.ts (level 3).
import { ECRClient, PutImageCommand, StartImageScanCommand } from "@aws-sdk/client-ecr";
import { beforeEach, expect, it } from "vitest";
import { baseIdentity } from "../../../src/aws/credentials/providers.js";
import { ecrRegistry, type Registry } from "../../../src/aws/ecr/client.js";
import { desiredRepository, ensureRepository } from "../../../src/aws/ecr/repository.js";
import { waitForScanFindings } from "../../../src/aws/ecr/scan.js";
import { ArtifactConfig } from "../../../src/config/sections/artifact.js";
import { MOTO_ACCOUNT, MOTO_REGION, motoClientConfig, resolveMoto, useMoto, useMotoEnvironment } from "../../support/moto.js";
import { describeReal } from "../../support/real.js";

const REPOSITORY = "moto-app";
const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: `sha256:${"c".repeat(64)}`, size: 100 },
  layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: `sha256:${"a".repeat(64)}`, size: 1000 }],
});

describeReal(
  "moto",
  () => {
    const moto = useMoto();
    useMotoEnvironment(moto);
    let registry: Registry;
    let ecr: ECRClient;
    let digest: string;
    beforeEach(async () => {
      registry = ecrRegistry(
        baseIdentity({ kind: "keys", accessKeyId: "moto-caller-key", secretAccessKey: "moto-caller-secret" }, { sessionName: "dpra-test", region: MOTO_REGION }),
        MOTO_ACCOUNT,
        MOTO_REGION,
      );
      ecr = new ECRClient(motoClientConfig(moto()));
      const config = ArtifactConfig.parse({ ecr: { repository: REPOSITORY, account: MOTO_ACCOUNT, region: MOTO_REGION } });
      await ensureRepository(registry, desiredRepository(config.ecr), { apply: false });
      const put = await ecr.send(
        new PutImageCommand({ repositoryName: REPOSITORY, imageManifest: MANIFEST, imageManifestMediaType: "application/vnd.oci.image.manifest.v1+json", imageTag: "rev-1" }),
      );
      digest = put.image?.imageId?.imageDigest ?? "";
    });
    const noWait = { timeoutSeconds: 5, sleep: async () => {} };

    it("a completed scan's findings become the pipeline's findings, with severity, package, version and link", async () => {
      await ecr.send(new StartImageScanCommand({ repositoryName: REPOSITORY, imageId: { imageDigest: digest } }));
      const outcome = await waitForScanFindings(registry, { repository: REPOSITORY, digest }, noWait);
      expect(outcome).toMatchObject({ state: "complete", status: "COMPLETE", waitedSeconds: 0 });
      expect(outcome.findings.tool).toBe("ecr");
      expect(outcome.findings.findings).toEqual([
        expect.objectContaining({
          tool: "ecr",
          category: "vulnerability",
          rule: "CVE-9999-9999",
          severity: "high",
          message: "CVE-9999-9999 in moto_fake 9.9.9",
          location: { package: "moto_fake", version: "9.9.9" },
          helpUri: "https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-9999-9999",
        }),
      ]);
    });

    it("an image without a scan is waited for until the limit, then reported as a blocking tool failure, never as clean", async () => {
      const slept: number[] = [];
      const outcome = await waitForScanFindings(
        registry,
        { repository: REPOSITORY, digest },
        { timeoutSeconds: 12, initialDelayMs: 5_000, sleep: async (ms) => void slept.push(ms) },
      );
      expect(outcome).toMatchObject({ state: "timeout", status: "SCAN_NOT_FOUND", waitedSeconds: 12 });
      expect(slept).toEqual([5_000, 7_000]);
      expect(outcome.findings.findings).toHaveLength(1);
      expect(outcome.findings.findings[0]).toMatchObject({ tool: "ecr", category: "vulnerability", severity: "critical" });
      expect(outcome.findings.findings[0]?.message).toContain(`ECR scan of ${REPOSITORY}@${digest} did not finish within 12 s (last status SCAN_NOT_FOUND)`);
    });

    it("a scan that ends in UNSUPPORTED_IMAGE is a blocking tool failure that says why", async () => {
      const result = {
        registryId: MOTO_ACCOUNT,
        repositoryName: REPOSITORY,
        imageId: { imageDigest: digest },
        imageScanStatus: { status: "UNSUPPORTED_IMAGE", description: "The operating system 'scratch' is not supported." },
        imageScanFindings: { findings: [] },
      };
      const res = await fetch(`${moto().endpoint}/moto-api/static/ecr/scan-finding-results`, { method: "POST", body: JSON.stringify({ results: [result], region: MOTO_REGION }) });
      expect(res.status).toBe(201);
      await ecr.send(new StartImageScanCommand({ repositoryName: REPOSITORY, imageId: { imageDigest: digest } }));
      const outcome = await waitForScanFindings(registry, { repository: REPOSITORY, digest }, noWait);
      expect(outcome).toMatchObject({ state: "failed", status: "UNSUPPORTED_IMAGE", description: "The operating system 'scratch' is not supported." });
      expect(outcome.findings.findings[0]).toMatchObject({ severity: "critical" });
      expect(outcome.findings.findings[0]?.message).toContain("ended with UNSUPPORTED_IMAGE: The operating system 'scratch' is not supported.");
    });
  },
  resolveMoto,
);
