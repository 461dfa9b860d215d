// Level 1 (real tool and service): real ORAS 1.3.0 runs publish's referrers recipe, the exact argv of
// orasAttachArgs and orasDiscoverArgs (src/publish), read by attachOutcome, against real registries on
// loopback, with the login in a Docker config.json passed as --registry-config (the recipe mounts it
// as a secret). The registries (test/support/registry.ts):
// - test/oci-registry, go-containerregistry's registry with the OCI 1.1 referrers API: the SBOM (a
//   real trivy CycloneDX) and the provenance (provenanceStatement) attach, are listed by
//   GET /v2/<repo>/referrers/<digest>, and `oras pull` (orasPullArgs) gives back the same bytes;
// - Debian's docker-registry (distribution 2.8.2), which has no referrers API: ORAS stores the
//   referrer and exits 0, and the recipe reports it NOT attached (reported, not fatal);
// - a stopped registry and a wrong password: failed outcomes with ORAS's error, nothing thrown, the
//   password in no output.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { afterAll, beforeAll, expect, it } from "vitest";
import { provenanceStatement } from "../../src/publish/provenance.js";
import {
  attachOutcome,
  describeReferrers,
  orasAttachArgs,
  PROVENANCE_ARTIFACT_TYPE,
  SBOM_ARTIFACT_TYPE,
  type OrasAttachPaths,
  type OrasRun,
  type ReferrerArtifact,
  type ReferrerOutcome,
} from "../../src/publish/referrers.dagger.js";
import { orasDiscoverArgs, orasPullArgs, parsePulledFiles } from "../../src/publish/referrers-read.js";
import { fixturePath } from "../support/fixtures.js";
import { orasHost, overPlainHttp, REPOSITORY, resolveOrasRegistries, type OrasHost } from "../support/oras-host.js";
import { describeReal, type RealTool } from "../support/real.js";
import { startReferrersRegistry, startRegistry, type RegistryServer } from "../support/registry.js";

const SBOM: ReferrerArtifact = { fileName: "sbom.cdx.json", artifactType: SBOM_ARTIFACT_TYPE };
const PROVENANCE: ReferrerArtifact = { fileName: "provenance.intoto.json", artifactType: PROVENANCE_ARTIFACT_TYPE };
const IMAGE_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const IMAGE_INDEX = "application/vnd.oci.image.index.v1+json";

const manifestSchema = z.object({
  mediaType: z.string(),
  artifactType: z.string().optional(),
  subject: z.object({ digest: z.string() }).optional(),
  layers: z.array(z.object({ mediaType: z.string(), digest: z.string() })),
});
const indexSchema = z.object({
  mediaType: z.literal(IMAGE_INDEX),
  manifests: z.array(z.object({ mediaType: z.string(), digest: z.string(), artifactType: z.string().optional() })),
});

describeReal(
  "oras-registry",
  (tool: RealTool) => {
    let work: string;
    let host: OrasHost;
    const started: RegistryServer[] = [];

    interface Attached {
      outcome: ReferrerOutcome;
      attach: OrasRun;
      discover?: OrasRun;
    }

    /** publish's attachOne on the host: attach, then (when it succeeded) discover, read by attachOutcome. */
    function attachRecipe(subject: string, artifact: ReferrerArtifact, content: string | Buffer, config: string): Attached {
      const dir = mkdtempSync(path.join(work, "attach-"));
      writeFileSync(path.join(dir, artifact.fileName), content);
      const paths: OrasAttachPaths = { registryConfig: config, exportedManifest: path.join(dir, "referrer-manifest.json") };
      const attach = host.run(overPlainHttp(orasAttachArgs(subject, artifact, paths)), dir);
      if (attach.exitCode !== 0) return { outcome: attachOutcome(subject, artifact, { exitCode: attach.exitCode, stderr: attach.stderr }), attach };
      const manifest = readFileSync(paths.exportedManifest, "utf8");
      const discover = host.run(overPlainHttp(orasDiscoverArgs(subject, artifact.artifactType, paths)), dir);
      return { outcome: attachOutcome(subject, artifact, { exitCode: 0, stderr: "", manifest, discover }), attach, discover };
    }

    beforeAll(() => {
      work = mkdtempSync(path.join(os.tmpdir(), "dpra-referrers-real-"));
      host = orasHost(tool.bin, work);
    });

    afterAll(async () => {
      await Promise.all(started.map((r) => r.stop()));
      rmSync(work, { recursive: true, force: true });
    });

    async function start(kind: "referrers" | "debian"): Promise<RegistryServer> {
      const registry = kind === "referrers" ? await startReferrersRegistry() : await startRegistry();
      started.push(registry);
      return registry;
    }

    const sbom = readFileSync(fixturePath("trivy", "trivy-repo-npm-cyclonedx.json"));

    it("on a registry with the referrers API: the recipe attaches the SBOM and the provenance, listed by the API with their types and subject, and oras pull gives back the same bytes", async () => {
      const registry = await start("referrers");
      const config = host.registryConfig(registry, registry.password);
      const digest = host.pushImage(registry, config);
      const subject = `${registry.host}/${REPOSITORY}@${digest}`;
      const imageManifest = await registry.get(`/v2/${REPOSITORY}/manifests/${digest}`, [IMAGE_MANIFEST]);
      expect(imageManifest.status).toBe(200);
      expect(`sha256:${createHash("sha256").update(imageManifest.body, "utf8").digest("hex")}`).toBe(digest);

      const provenance = JSON.stringify(
        provenanceStatement({
          repositoryUri: `${registry.host}/${REPOSITORY}`,
          digest,
          gitRevision: "0123456789abcdef0123456789abcdef01234567",
          runId: "referrers-real",
          builderId: "https://dpra.dev/builders/test",
          sbomSha256: createHash("sha256").update(sbom).digest("hex"),
          startedOn: new Date("2026-01-01T00:00:00Z"),
          finishedOn: new Date("2026-01-01T00:01:00Z"),
        }),
      );
      const attached = [
        { artifact: SBOM, content: sbom, result: attachRecipe(subject, SBOM, sbom, config) },
        { artifact: PROVENANCE, content: Buffer.from(provenance), result: attachRecipe(subject, PROVENANCE, provenance, config) },
      ];
      for (const { artifact, result } of attached) {
        expect(result.attach.exitCode, result.attach.stderr).toBe(0);
        expect(result.discover?.exitCode, result.discover?.stderr).toBe(0);
        expect(result.outcome, JSON.stringify(result.outcome)).toMatchObject({ status: "attached", artifactType: artifact.artifactType, file: artifact.fileName });
      }
      const digests = attached.map(({ result }) => (result.outcome.status === "attached" ? result.outcome.digest : ""));
      expect(describeReferrers({ subject, outcomes: attached.map(({ result }) => result.outcome) })).toEqual([
        `${SBOM_ARTIFACT_TYPE}: attached as ${digests[0]}`,
        `${PROVENANCE_ARTIFACT_TYPE}: attached as ${digests[1]}`,
      ]);

      // The referrers API itself: an image index listing both, each manifest naming the image as subject.
      const listing = await registry.get(`/v2/${REPOSITORY}/referrers/${digest}`, [IMAGE_INDEX]);
      expect(listing.status, listing.body).toBe(200);
      expect(listing.contentType).toBe(IMAGE_INDEX);
      const index = indexSchema.parse(JSON.parse(listing.body));
      expect(index.manifests.map((m) => ({ digest: m.digest, artifactType: m.artifactType, mediaType: m.mediaType })).sort((a, b) => a.digest.localeCompare(b.digest))).toEqual(
        attached
          .map(({ artifact, result }) => ({
            digest: result.outcome.status === "attached" ? result.outcome.digest : "",
            artifactType: artifact.artifactType,
            mediaType: IMAGE_MANIFEST,
          }))
          .sort((a, b) => a.digest.localeCompare(b.digest)),
      );
      for (const { artifact, content, result } of attached) {
        if (result.outcome.status !== "attached") throw new Error("not attached");
        const answer = await registry.get(`/v2/${REPOSITORY}/manifests/${result.outcome.digest}`, [IMAGE_MANIFEST]);
        expect(answer.status).toBe(200);
        const manifest = manifestSchema.parse(JSON.parse(answer.body));
        expect(manifest.artifactType).toBe(artifact.artifactType);
        expect(manifest.subject?.digest).toBe(digest);
        expect(manifest.layers.map((l) => l.mediaType)).toEqual([artifact.artifactType]);
        expect(manifest.layers[0]?.digest).toBe(`sha256:${createHash("sha256").update(content).digest("hex")}`);

        // oras pull, the recipe's reader: the file comes back byte for byte.
        const out = mkdtempSync(path.join(work, "pull-"));
        const pull = host.run(overPlainHttp(orasPullArgs(result.outcome.reference, out, { registryConfig: config })), out);
        expect(pull.exitCode, pull.stderr).toBe(0);
        const files = parsePulledFiles(pull.stdout, "oras pull");
        expect(files.map((f) => ({ name: path.basename(f.path), mediaType: f.mediaType }))).toEqual([{ name: artifact.fileName, mediaType: artifact.artifactType }]);
        expect(readFileSync(path.resolve(out, files[0]!.path)).equals(content)).toBe(true);
      }
    });

    it("on Debian's distribution 2.8.2 (no referrers API): oras attach exits 0, but the recipe reports the referrer NOT attached because the registry does not list it; GET referrers is 404", async () => {
      const registry = await start("debian");
      const config = host.registryConfig(registry, registry.password);
      const digest = host.pushImage(registry, config);
      const subject = `${registry.host}/${REPOSITORY}@${digest}`;
      const result = attachRecipe(subject, SBOM, sbom, config);
      expect(result.attach.exitCode, result.attach.stderr).toBe(0);
      expect(result.discover?.exitCode).not.toBe(0);
      expect(result.outcome.status).toBe("failed");
      const line = describeReferrers({ subject, outcomes: [result.outcome] })[0];
      expect(line).toMatch(
        new RegExp(
          `^${SBOM_ARTIFACT_TYPE.replace(/[.+]/g, "\\$&")}: NOT attached: pushed as sha256:[a-f0-9]{64}, but the registry does not list it through the OCI referrers API \\(oras discover exited 1: .*referrers API`,
        ),
      );
      expect((await registry.get(`/v2/${REPOSITORY}/referrers/${digest}`, [IMAGE_INDEX])).status).toBe(404);
    });

    it("with the registry stopped: oras attach fails, and the recipe reports NOT attached with ORAS's error, without throwing", async () => {
      const registry = await start("referrers");
      const config = host.registryConfig(registry, registry.password);
      const subject = `${registry.host}/${REPOSITORY}@${host.pushImage(registry, config)}`;
      await registry.stop();
      const result = attachRecipe(subject, PROVENANCE, "{}", config);
      expect(result.attach.exitCode).not.toBe(0);
      expect(result.discover).toBeUndefined();
      expect(result.outcome).toMatchObject({ status: "failed" });
      const line = describeReferrers({ subject, outcomes: [result.outcome] })[0] ?? "";
      expect(line).toMatch(new RegExp(`^${PROVENANCE_ARTIFACT_TYPE.replace(/[.+]/g, "\\$&")}: NOT attached: oras attach exited ${result.attach.exitCode}: .*connection refused`));
    });

    it("with a wrong password in the registry config: the registry answers 401, the recipe reports NOT attached, and no password is in any output", async () => {
      const registry = await start("referrers");
      const digest = host.pushImage(registry, host.registryConfig(registry, registry.password));
      const unauthenticated = await fetch(`http://${registry.host}/v2/${REPOSITORY}/manifests/${digest}`);
      expect(unauthenticated.status).toBe(401);
      expect(unauthenticated.headers.get("www-authenticate")).toBe('Basic realm="dpra-test-registry"');
      const wrong = `wrong-${registry.password.slice(0, 4)}-password`;
      const wrongAuth = await fetch(`http://${registry.host}/v2/`, { headers: { authorization: `Basic ${Buffer.from(`${registry.username}:${wrong}`).toString("base64")}` } });
      expect(wrongAuth.status).toBe(401);

      const subject = `${registry.host}/${REPOSITORY}@${digest}`;
      const result = attachRecipe(subject, SBOM, sbom, host.registryConfig(registry, wrong));
      expect(result.attach.exitCode).not.toBe(0);
      expect(result.outcome.status).toBe("failed");
      const line = describeReferrers({ subject, outcomes: [result.outcome] })[0] ?? "";
      expect(line).toMatch(/NOT attached: oras attach exited \d+: .*401/);
      const said = Buffer.from([result.attach.stdout, result.attach.stderr, JSON.stringify(result.outcome), line].join("\n"));
      for (const secret of [wrong, registry.password, Buffer.from(`${registry.username}:${wrong}`).toString("base64")]) {
        expect(said.includes(Buffer.from(secret)), "a password in ORAS's output or the outcome").toBe(false);
      }
    });
  },
  resolveOrasRegistries,
);
