// Verification level 4 (the repository's own files): tests mirror src/. A test of
// src/<folder>/<file>.ts sits in test/<folder>/; a folder of tests with no such src/ folder must be
// one of those below, which mirror the repository's other folders or test what spans all of src/.
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/fixtures.js";

/** Test folders that mirror a repository folder other than src/, or that test no single folder of it. */
const NOT_UNDER_SRC: Record<string, string> = {
  "test/architecture": "the dependency rules and this layout, over all of src/ and test/",
  "test/dagger": "the repository's own CI module, dagger/",
  "test/docs": "the dagger call lines and the quickstart of README.md and docs/",
  "test/examples": "the example apps, examples/",
  "test/modules": "the standalone Daggerverse modules, modules/",
  "test/supply-chain": "the lockfile's dependencies",
  "test/support": "the shared test support itself (fake engine, moto, PostgreSQL)",
  "test/surface": "the module surface of src/index.ts, as the Dagger introspector reads it",
};

function testFolders(dir: string): string[] {
  const entries = readdirSync(path.join(repoRoot, dir), { withFileTypes: true });
  const here = entries.some((e) => e.isFile() && e.name.endsWith(".test.ts")) ? [dir] : [];
  const below = entries.filter((e) => e.isDirectory() && e.name !== "fixtures" && e.name !== "node_modules").flatMap((e) => testFolders(`${dir}/${e.name}`));
  return [...here, ...below];
}

function srcFolders(dir: string): Set<string> {
  const entries = readdirSync(path.join(repoRoot, dir), { withFileTypes: true });
  return new Set([dir, ...entries.filter((e) => e.isDirectory()).flatMap((e) => [...srcFolders(`${dir}/${e.name}`)])]);
}

describe("test layout", () => {
  it("puts every test in the test/ folder that mirrors its src/ folder, or in a listed folder that mirrors another", () => {
    const src = srcFolders("src");
    const folders = testFolders("test");
    expect(folders.length).toBeGreaterThan(20);
    const stray = folders.filter((d) => !src.has(d === "test" ? "src" : `src/${d.slice("test/".length)}`) && !(d in NOT_UNDER_SRC));
    expect(stray, "move these tests to test/<the src/ folder they test>/, or list the folder in NOT_UNDER_SRC with why").toEqual([]);
  });

  it("lists no folder that has since gained a src/ twin or lost its tests", () => {
    const src = srcFolders("src");
    const folders = new Set(testFolders("test"));
    for (const dir of Object.keys(NOT_UNDER_SRC)) {
      expect(src.has(`src/${dir.slice("test/".length)}`), `${dir} mirrors src/ now: drop it from NOT_UNDER_SRC`).toBe(false);
      expect(folders.has(dir), `${dir} holds no test: drop it from NOT_UNDER_SRC`).toBe(true);
    }
  });
});
