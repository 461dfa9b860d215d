import { describe, expect, it } from "vitest";
import type { BuildStep } from "../../../src/pipeline/build-steps.js";
import { dpraBuildOutcomes } from "../../../src/stages/build/dpra-actions.js";

describe("build-stage actions onto DPRA build actions", () => {
  it("groups the tools of one DPRA action; it passes only when all of them pass", () => {
    const out = dpraBuildOutcomes([
      { action: "compile", passed: true, summary: "tsc ok" },
      { action: "sca", passed: true, summary: "0 blocking", reports: ["raw/trivy-fs.json"] },
      { action: "image-scan", passed: false, summary: "CVE-2024-1234 (high) in openssl", reports: ["raw/trivy-image.json"] },
      { action: "sbom", passed: true, summary: "sbom.cdx.json" },
    ]);
    expect(out["build.build-code"]).toEqual({ ok: true, summary: "tsc ok", reports: [] });
    expect(out["build.sca"]).toEqual({
      ok: false,
      summary: "image-scan: CVE-2024-1234 (high) in openssl",
      reports: ["raw/trivy-fs.json", "raw/trivy-image.json"],
    });
  });

  it("refuses an action it cannot place", () => {
    // A name from outside the type (the types refuse it; a cast, or data read at run time, does not).
    const fuzz = "fuzz" as string as BuildStep;
    expect(() => dpraBuildOutcomes([{ action: fuzz, passed: true, summary: "" }])).toThrow('build action "fuzz" maps to no DPRA action; add it to BUILD_ACTION_MAP');
  });
});
