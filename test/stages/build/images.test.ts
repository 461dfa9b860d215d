import { describe, expect, it } from "vitest";
import * as images from "../../../src/stages/build/images.js";
import { PinnedImage } from "../../../src/config/sections/common.js";
import { GITLEAKS_DIGESTS } from "../../../modules/gitleaks/src/gitleaks.js";
import { SEMGREP_DIGESTS } from "../../../modules/semgrep/src/semgrep.js";
import { TRIVY_DIGESTS } from "../../../modules/trivy/src/trivy.js";

describe("pinned images", () => {
  it("pins every build image by tag and digest, as dpra.yaml requires of its own images", () => {
    const refs = Object.entries(images).filter(([name]) => name.endsWith("_IMAGE"));
    expect(refs.length).toBeGreaterThanOrEqual(4);
    for (const [name, ref] of refs) {
      expect(PinnedImage.safeParse(ref).success, name).toBe(true);
      expect(String(ref), name).toMatch(/^[\w./-]+:[\w.-]+@sha256:[a-f0-9]{64}$/);
    }
  });

  it("knows a digest for every scanner version it offers", () => {
    for (const digests of [GITLEAKS_DIGESTS, SEMGREP_DIGESTS, TRIVY_DIGESTS]) {
      for (const digest of Object.values(digests)) expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    }
  });
});
