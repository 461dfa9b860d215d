// Level 4: the ORAS read recipe (discover, pull) and its parsers, on the JSON shapes oras 1.3.0
// printed against Debian's docker-registry here (the real round trip is in referrers.real.test.ts).
import { describe, expect, it } from "vitest";
import { orasDiscoverArgs, orasPullArgs, parseDiscoveredReferrers, parsePulledFiles } from "../../src/publish/referrers-read.js";

const D = (c: string) => `sha256:${c.repeat(64)}`;
const SUBJECT = `127.0.0.1:5000/app@${D("a")}`;
const PATHS = { registryConfig: "/run/dpra/oras/config.json" };

describe("orasDiscoverArgs / orasPullArgs", () => {
  it("lists direct referrers of one type through the referrers API, as JSON, with the mounted login", () => {
    expect(orasDiscoverArgs(SUBJECT, "application/vnd.cyclonedx+json", PATHS)).toEqual([
      "oras",
      "discover",
      "--registry-config",
      PATHS.registryConfig,
      "--distribution-spec",
      "v1.1-referrers-api",
      "--artifact-type",
      "application/vnd.cyclonedx+json",
      "--format",
      "json",
      "--depth",
      "1",
      SUBJECT,
    ]);
  });

  it("pulls one referrer by digest into a folder", () => {
    expect(orasPullArgs(`127.0.0.1:5000/app@${D("b")}`, "/out", PATHS)).toEqual([
      "oras",
      "pull",
      "--registry-config",
      PATHS.registryConfig,
      "--output",
      "/out",
      "--format",
      "json",
      "--no-tty",
      `127.0.0.1:5000/app@${D("b")}`,
    ]);
  });

  it("refuses a tag", () => {
    expect(() => orasDiscoverArgs("127.0.0.1:5000/app:v1", "x", PATHS)).toThrow(/without a tag/);
    expect(() => orasPullArgs("127.0.0.1:5000/app:v1", "/out", PATHS)).toThrow(/without a tag/);
  });
});

describe("parseDiscoveredReferrers", () => {
  const out = {
    reference: SUBJECT,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    digest: D("a"),
    size: 583,
    referrers: [
      {
        reference: `127.0.0.1:5000/app@${D("b")}`,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        digest: D("b"),
        size: 745,
        annotations: { "org.opencontainers.image.created": "2026-12-07T15:00:53Z" },
        artifactType: "application/vnd.cyclonedx+json",
        referrers: [],
      },
    ],
  };

  it("returns each referrer with its digest, type and annotations", () => {
    expect(parseDiscoveredReferrers(JSON.stringify(out), D("a"), "t")).toEqual([
      {
        digest: D("b"),
        artifactType: "application/vnd.cyclonedx+json",
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        annotations: { "org.opencontainers.image.created": "2026-12-07T15:00:53Z" },
      },
    ]);
  });

  it("reads no referrers as an empty list", () => {
    expect(parseDiscoveredReferrers(JSON.stringify({ ...out, referrers: [] }), D("a"), "t")).toEqual([]);
    expect(parseDiscoveredReferrers(JSON.stringify({ ...out, referrers: null }), D("a"), "t")).toEqual([]);
  });

  it("names the field of a malformed answer", () => {
    expect(() => parseDiscoveredReferrers(JSON.stringify({ ...out, referrers: [{ digest: "sha256:short", mediaType: "m" }] }), D("a"), "discover.json")).toThrow(
      /^discover\.json: oras discover JSON, field "referrers\.0\.digest"/,
    );
  });
});

describe("parsePulledFiles", () => {
  it("returns the files ORAS wrote", () => {
    const json = JSON.stringify({
      reference: "x",
      files: [{ path: "/out/sbom.json", reference: "y", mediaType: "application/vnd.cyclonedx+json", digest: D("e"), size: 8, annotations: {} }],
    });
    expect(parsePulledFiles(json, "t")).toEqual([{ path: "/out/sbom.json", digest: D("e"), mediaType: "application/vnd.cyclonedx+json" }]);
  });

  it("refuses output that is not JSON", () => {
    expect(() => parsePulledFiles("Downloaded", "pull")).toThrow(/^pull: oras pull did not print JSON/);
  });
});
