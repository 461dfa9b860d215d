import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  attachOutcome,
  describeReferrers,
  ORAS_CONTAINER_PATHS,
  orasAttachArgs,
  PROVENANCE_ARTIFACT_TYPE,
  referrerSubject,
  registryConfigJson,
  SBOM_ARTIFACT_TYPE,
} from "../../src/publish/referrers.dagger.js";

const DIGEST = `sha256:${"a".repeat(64)}`;
const SUBJECT = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/fruit-api@${DIGEST}`;
const SBOM = { fileName: "sbom.cdx.json", artifactType: SBOM_ARTIFACT_TYPE };

describe("referrerSubject", () => {
  it("splits a digest reference", () => {
    expect(referrerSubject(SUBJECT)).toEqual({ name: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/fruit-api", digest: DIGEST });
    expect(referrerSubject(`localhost:5000/app@${DIGEST}`).name).toBe("localhost:5000/app");
  });

  it.each([
    ["a tag", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fruit-api:v1"],
    ["a tag next to the digest", `123456789012.dkr.ecr.eu-west-1.amazonaws.com/fruit-api:v1@${DIGEST}`],
    ["a short digest", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fruit-api@sha256:abc"],
  ])("refuses %s", (_why, ref) => {
    expect(() => referrerSubject(ref)).toThrow(/expected <registry host>\/<repository>@sha256:<64 hex>, without a tag/);
  });
});

describe("orasAttachArgs", () => {
  it("attaches one file with its media type to the digest through the referrers API, with the mounted registry config", () => {
    expect(orasAttachArgs(SUBJECT, SBOM, ORAS_CONTAINER_PATHS)).toEqual([
      "oras",
      "attach",
      "--registry-config",
      "/run/dpra/oras/config.json",
      "--distribution-spec",
      "v1.1-referrers-api",
      "--artifact-type",
      "application/vnd.cyclonedx+json",
      "--export-manifest",
      "/tmp/dpra-referrer-manifest.json",
      SUBJECT,
      "sbom.cdx.json:application/vnd.cyclonedx+json",
    ]);
  });

  it("never carries a password flag", () => {
    const args = orasAttachArgs(SUBJECT, { fileName: "provenance.intoto.json", artifactType: PROVENANCE_ARTIFACT_TYPE }, ORAS_CONTAINER_PATHS);
    expect(args.filter((a) => /^(-p|--password|-u|--username|--password-stdin)$/.test(a))).toEqual([]);
  });

  it("refuses a file name that is a path", () => {
    expect(() => orasAttachArgs(SUBJECT, { fileName: "../etc/passwd", artifactType: SBOM_ARTIFACT_TYPE }, ORAS_CONTAINER_PATHS)).toThrow(/plain file name/);
  });
});

describe("registryConfigJson", () => {
  it("is a Docker config.json with the login for one host", () => {
    const json = JSON.parse(registryConfigJson("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "AWS", "pa:ss"));
    expect(Object.keys(json.auths)).toEqual(["123456789012.dkr.ecr.eu-west-1.amazonaws.com"]);
    expect(Buffer.from(json.auths["123456789012.dkr.ecr.eu-west-1.amazonaws.com"].auth, "base64").toString()).toBe("AWS:pa:ss");
  });

  it("refuses a host that is not a host name", () => {
    expect(() => registryConfigJson("https://x/y", "AWS", "p")).toThrow(/not a host name/);
  });
});

describe("attachOutcome", () => {
  const manifest = (subjectDigest: string, artifactType = SBOM_ARTIFACT_TYPE) => JSON.stringify({ schemaVersion: 2, artifactType, subject: { digest: subjectDigest }, layers: [] });

  const listing = (subjectDigest: string, ...referrers: string[]) => ({
    exitCode: 0,
    stderr: "",
    stdout: JSON.stringify({
      digest: subjectDigest,
      referrers: referrers.map((digest) => ({ digest, mediaType: "application/vnd.oci.image.manifest.v1+json", artifactType: SBOM_ARTIFACT_TYPE })),
    }),
  });
  const digestOf = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;

  it("names the referrer by the SHA-256 of the manifest ORAS pushed, once the registry lists it", () => {
    const m = manifest(DIGEST);
    const out = attachOutcome(SUBJECT, SBOM, { exitCode: 0, stderr: "", manifest: m, discover: listing(DIGEST, `sha256:${"c".repeat(64)}`, digestOf(m)) });
    const digest = digestOf(m);
    expect(out).toEqual({
      artifactType: SBOM_ARTIFACT_TYPE,
      file: "sbom.cdx.json",
      status: "attached",
      digest,
      reference: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/fruit-api@${digest}`,
    });
  });

  it("reports a refused attach with the registry's answer", () => {
    const out = attachOutcome(SUBJECT, SBOM, { exitCode: 1, stderr: "pushing...\nError: PUT manifest: 405 Method Not Allowed\n" });
    expect(out).toMatchObject({ status: "failed" });
    expect(out.status === "failed" && out.error).toContain("oras attach exited 1: pushing... Error: PUT manifest: 405 Method Not Allowed");
  });

  it.each([
    ["another subject", { exitCode: 0, stderr: "", manifest: manifest(`sha256:${"b".repeat(64)}`) }, /names subject sha256:b+, not sha256:a+/],
    ["another artifact type", { exitCode: 0, stderr: "", manifest: manifest(DIGEST, "text/plain") }, /artifact type text\/plain/],
    ["no exported manifest", { exitCode: 0, stderr: "" }, /exported no manifest/],
    ["a manifest that is not JSON", { exitCode: 0, stderr: "", manifest: "{" }, /not JSON/],
    ["no listing read", { exitCode: 0, stderr: "", manifest: manifest(DIGEST) }, /pushed as sha256:[a-f0-9]{64}, but the registry's referrers list was not read/],
    [
      "a registry without the referrers API",
      { exitCode: 0, stderr: "", manifest: manifest(DIGEST), discover: { exitCode: 1, stdout: "", stderr: "Error: failed to query referrers API: unsupported\n" } },
      /does not list it through the OCI referrers API \(oras discover exited 1: Error: failed to query referrers API: unsupported\)/,
    ],
    [
      "a listing without it",
      { exitCode: 0, stderr: "", manifest: manifest(DIGEST), discover: listing(DIGEST, `sha256:${"c".repeat(64)}`) },
      /do not include it \(listed: sha256:c+\)/,
    ],
    [
      "a listing of another subject",
      { exitCode: 0, stderr: "", manifest: manifest(DIGEST), discover: listing(`sha256:${"b".repeat(64)}`) },
      /listed referrers of sha256:b+, not of sha256:a+/,
    ],
    ["a listing that is not JSON", { exitCode: 0, stderr: "", manifest: manifest(DIGEST), discover: { exitCode: 0, stdout: "tree", stderr: "" } }, /did not print JSON/],
  ])("fails on %s", (_why, run, message) => {
    const out = attachOutcome(SUBJECT, SBOM, run);
    expect(out.status).toBe("failed");
    expect(out.status === "failed" ? out.error : "").toMatch(message);
  });

  it("describes each outcome in one line", () => {
    const lines = describeReferrers({
      subject: SUBJECT,
      outcomes: [
        attachOutcome(SUBJECT, SBOM, { exitCode: 1, stderr: "denied" }),
        { artifactType: PROVENANCE_ARTIFACT_TYPE, file: "provenance.intoto.json", status: "skipped", reason: "off" },
      ],
    });
    expect(lines).toEqual([`${SBOM_ARTIFACT_TYPE}: NOT attached: oras attach exited 1: denied`, `${PROVENANCE_ARTIFACT_TYPE}: skipped (off)`]);
  });
});
