// Level 1 (real tool and service): Gamma's verdict records as real OCI referrers. Real ORAS 1.3.0
// attaches a passed and then a failed record (verdictRecordOf, verdictFileText) to a real image in
// go-containerregistry's registry with the OCI 1.1 referrers API (test/oci-registry, started by
// test/support/registry.ts), with the exact argv of orasAttachArgs, read by attachOutcome; then the
// prod-only release's reader (readReferrerFiles: oras discover + oras pull, the same code the Dagger
// container runs) reads them back and decidePromotion decides. On Debian's distribution 2.8.2 (no
// referrers API) the record is reported NOT attached and the reader refuses rather than seeing
// none. The only transport difference from ECR: `--plain-http`, inserted after the subcommand (the
// registries speak HTTP on loopback).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readReferrerFiles, type OrasExecutor } from "../../../src/publish/referrers-fetch.dagger.js";
import { orasDiscoverArgs } from "../../../src/publish/referrers-read.js";
import { attachOutcome, orasAttachArgs, type ReferrerArtifact } from "../../../src/publish/referrers.dagger.js";
import type { StageAction } from "../../../src/stages/aws-environment/steps.js";
import { decidePromotion, GAMMA_VERDICT_ARTIFACT_TYPE, GAMMA_VERDICT_FILE, verdictFileText } from "../../../src/pipeline/promotion.js";
import { verdictRecordOf } from "../../../src/stages/gamma/verdict.js";
import { orasHost, overPlainHttp, REPOSITORY, resolveOrasRegistries, type OrasHost } from "../../support/oras-host.js";
import { describeReal, type RealTool } from "../../support/real.js";
import { startReferrersRegistry, startRegistry, type RegistryServer } from "../../support/registry.js";

const VERDICT: ReferrerArtifact = { fileName: GAMMA_VERDICT_FILE, artifactType: GAMMA_VERDICT_ARTIFACT_TYPE };
const IMAGE_INDEX = "application/vnd.oci.image.index.v1+json";

const step = (name: string, status: StageAction["status"], detail: string): StageAction => ({ stage: "gamma", modelAction: "deploy-software", name, status, detail });

describeReal(
  "oras-registry",
  (tool: RealTool) => {
    let work: string;
    let host: OrasHost;
    const started: RegistryServer[] = [];

    beforeAll(() => {
      work = mkdtempSync(path.join(os.tmpdir(), "dpra-verdict-real-"));
      host = orasHost(tool.bin, work);
    });
    afterAll(async () => {
      await Promise.all(started.map((r) => r.stop()));
      rmSync(work, { recursive: true, force: true });
    });

    /** A registry with its login file and a small image (an OCI config and one layer) pushed; the image's digest. */
    async function withImage(kind: "referrers" | "debian"): Promise<{ registry: RegistryServer; config: string; digest: string }> {
      const registry = kind === "referrers" ? await startReferrersRegistry() : await startRegistry();
      started.push(registry);
      const config = host.registryConfig(registry);
      return { registry, config, digest: host.pushImage(registry, config) };
    }

    /** The reader the prod-only release runs (readReferrerFiles), with ORAS on this host. */
    function hostReader(config: string, subject: string) {
      const pullRoot = mkdtempSync(path.join(work, "pulled-"));
      const executor: OrasExecutor = {
        paths: { registryConfig: config },
        pullRoot,
        run: async (argv) => ({ ...host.run(overPlainHttp(argv), work), readFile: (file) => readFile(file, "utf8") }),
      };
      return () => readReferrerFiles(executor, subject, GAMMA_VERDICT_ARTIFACT_TYPE, GAMMA_VERDICT_FILE);
    }

    /** publish's attach recipe for one verdict file: attach, then discover, read by attachOutcome. */
    function attach(subject: string, config: string, text: string, name: string) {
      const dir = mkdtempSync(path.join(work, `attach-${name}-`));
      writeFileSync(path.join(dir, GAMMA_VERDICT_FILE), text);
      const paths = { registryConfig: config, exportedManifest: path.join(dir, "manifest.json") };
      const run = host.run(overPlainHttp(orasAttachArgs(subject, VERDICT, paths)), dir);
      expect(run.exitCode, run.stderr).toBe(0);
      const discover = host.run(overPlainHttp(orasDiscoverArgs(subject, GAMMA_VERDICT_ARTIFACT_TYPE, paths)), dir);
      return attachOutcome(subject, VERDICT, { exitCode: 0, stderr: "", manifest: readFileSync(paths.exportedManifest, "utf8"), discover });
    }

    const ctx = (repository: string, runId: string, at: string) => ({
      repository,
      runId,
      recordedAt: new Date(at),
      environment: { account: "222222222222", region: "eu-west-1", stack: "fruit-api-gamma" },
    });
    const gammaSteps = (canary: "passed" | "failed") => [
      step("deploy", "passed", "stack fruit-api-gamma"),
      step("verify digest", "passed", "ImageUri ok"),
      step("alarms", "passed", "fruit-api-5xx OK"),
      step("synthetic canary", canary, `fruit_smoke ${canary === "passed" ? "PASSED" : "FAILED CANARY_FAILURE"}`),
    ];

    it("a passed then a failed record attached with real ORAS are read back by discover + pull: none refuses, the pass promotes, the newer failed canary refuses", async () => {
      const { registry, config, digest } = await withImage("referrers");
      const subject = `${registry.host}/${REPOSITORY}@${digest}`;
      const howToRun = `dagger call --source=. release --env=gamma --digest=${subject}`;

      const readBack = hostReader(config, subject);
      expect(await readBack()).toEqual([]);
      expect(decidePromotion(digest, await readBack(), howToRun)).toEqual({ promotable: false, reason: `no Gamma pass record for ${digest}: run \`${howToRun}\` first` });

      const passed = verdictRecordOf(
        { passed: true, digest, monitoring: [], actions: gammaSteps("passed") },
        ctx(`${registry.host}/${REPOSITORY}`, "run-pass", "2026-12-07T10:00:00Z"),
      );
      const failed = verdictRecordOf(
        { passed: false, digest, monitoring: [], actions: gammaSteps("failed") },
        ctx(`${registry.host}/${REPOSITORY}`, "run-fail", "2026-12-07T11:00:00Z"),
      );

      const first = attach(subject, config, verdictFileText(passed), "pass");
      expect(first, JSON.stringify(first)).toMatchObject({ status: "attached", artifactType: GAMMA_VERDICT_ARTIFACT_TYPE });
      const afterPass = await readBack();
      expect(afterPass.map((v) => v.text)).toEqual([verdictFileText(passed)]);
      const promoted = decidePromotion(digest, afterPass, howToRun);
      expect(promoted.promotable && promoted.record).toEqual(passed);

      const second = attach(subject, config, verdictFileText(failed), "fail");
      expect(second, JSON.stringify(second)).toMatchObject({ status: "attached" });
      const afterFail = await readBack();
      expect(afterFail).toHaveLength(2);
      expect(new Set(afterFail.map((v) => v.source))).toEqual(new Set([first, second].map((o) => (o.status === "attached" ? o.reference : ""))));
      expect(decidePromotion(digest, afterFail, howToRun)).toEqual({
        promotable: false,
        reason: `${digest} failed Gamma in run run-fail, 2026-12-07T11:00:00.000Z: canary (fruit_smoke FAILED CANARY_FAILURE). It cannot be promoted; release a fixed image, or run \`${howToRun}\` again to record a newer pass`,
      });

      // The registry's own referrers API lists both, with the verdict artifact type.
      const listing = await registry.get(`/v2/${REPOSITORY}/referrers/${digest}`, [IMAGE_INDEX]);
      expect(listing.status, listing.body).toBe(200);
      const manifests = (JSON.parse(listing.body) as { manifests: Array<{ artifactType?: string }> }).manifests;
      expect(manifests.map((m) => m.artifactType)).toEqual([GAMMA_VERDICT_ARTIFACT_TYPE, GAMMA_VERDICT_ARTIFACT_TYPE]);
    });

    it("on Debian's distribution 2.8.2 (no referrers API): the pass is pushed but NOT recorded, and the reader refuses instead of seeing none", async () => {
      const { registry, config, digest } = await withImage("debian");
      const subject = `${registry.host}/${REPOSITORY}@${digest}`;
      const passed = verdictRecordOf(
        { passed: true, digest, monitoring: [], actions: gammaSteps("passed") },
        ctx(`${registry.host}/${REPOSITORY}`, "run-pass", "2026-12-07T10:00:00Z"),
      );
      const outcome = attach(subject, config, verdictFileText(passed), "debian");
      expect(outcome.status).toBe("failed");
      expect(outcome.status === "failed" && outcome.error).toMatch(/does not list it through the OCI referrers API \(oras discover exited 1: .*referrers API/);
      await expect(hostReader(config, subject)()).rejects.toThrow(
        new RegExp(`^oras discover of ${subject.replace(/[.]/g, "\\.")} \\(artifact type ${GAMMA_VERDICT_ARTIFACT_TYPE.replace(/[.+]/g, "\\$&")}\\) exited 1: .*referrers API`),
      );
    });
  },
  resolveOrasRegistries,
);
