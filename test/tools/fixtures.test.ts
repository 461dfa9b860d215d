// Level 4: the test fixtures travel with the repository, and each one's provenance is recorded.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fixturePath, repoRoot } from "../support/fixtures.js";

const root = fixturePath();

describe("test/fixtures", () => {
  it("lies inside the repository, so a fresh clone needs no ../shared", () => {
    expect(path.relative(repoRoot, root)).toBe(path.join("test", "fixtures"));
  });

  it("names every file in a SOURCES.md of its folder or above", () => {
    const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => statSync(path.join(root, f)).isFile() && path.basename(f) !== "SOURCES.md");
    expect(files.length).toBeGreaterThan(40);
    const sources = ["SOURCES.md", "dpra/SOURCES.md", "contract/SOURCES.md"].map((f) => readFileSync(path.join(root, f), "utf8")).join("\n");
    const unrecorded = files.filter((f) => !sources.includes(path.basename(f)));
    expect(unrecorded).toEqual([]);
  });
});
