// Level 4 (pure core): the tool catalog is the one source of the pins that recipes and the installer read.
import { describe, expect, it } from "vitest";
import { TOOLS, TOOL_NAMES } from "../../src/tools/catalog.js";
import { TOOL_IMAGES } from "../../src/actions/db-deploy/tools.js";
import { ORAS_IMAGE } from "../../src/publish/referrers.dagger.js";
import { CFN_LINT_VERSION } from "../../src/stages/build/images.js";

describe("tool catalog", () => {
  it("pins every tool's image by digest, with the tool's version in the tag (cfn-lint: its Python image)", () => {
    for (const name of TOOL_NAMES) {
      const pin = TOOLS[name];
      expect(pin.image, name).toMatch(/^[\w./-]+:[\w.-]+@sha256:[a-f0-9]{64}$/);
      if (name !== "cfn-lint") expect(pin.image.split("@")[0], name).toMatch(new RegExp(`:v?${pin.version.replace(/\./g, "\\.")}(-|$)`));
    }
  });

  it("installs exactly the pinned version", () => {
    for (const name of TOOL_NAMES) expect(TOOLS[name].install.version.replace(/^v/, ""), name).toBe(TOOLS[name].version);
  });

  it("is what the recipes run", () => {
    expect(TOOL_IMAGES).toEqual({ dbmate: TOOLS.dbmate.image, flyway: TOOLS.flyway.image, liquibase: TOOLS.liquibase.image });
    expect(ORAS_IMAGE).toBe(TOOLS.oras.image);
    expect(CFN_LINT_VERSION).toBe(TOOLS["cfn-lint"].version);
  });
});
