// Level 4: the bundled example carries the tools at the catalog's pins, so the image, the pipeline
// and the local tests run one dbmate.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TOOLS } from "../../src/tools/catalog.js";
import { repoRoot } from "../support/fixtures.js";

describe("one version per tool", () => {
  it("the example's Dockerfile takes dbmate from the catalog's pinned image", () => {
    const dockerfile = readFileSync(path.join(repoRoot, "examples", "fruit-api", "Dockerfile"), "utf8");
    expect(/^ARG DBMATE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1]).toBe(TOOLS.dbmate.image);
  });

  it("no package.json pulls a second dbmate from npm", () => {
    for (const file of ["package.json", "examples/fruit-api/package.json"]) {
      const pkg = JSON.parse(readFileSync(path.join(repoRoot, file), "utf8")) as Record<string, Record<string, string> | undefined>;
      const deps = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies };
      expect(Object.keys(deps), file).not.toContain("dbmate");
    }
  });
});
