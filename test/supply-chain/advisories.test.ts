// Level 4 (fixture unit test over the installed tree): no package in node_modules, nor in
// package-lock.json, is at a version an advisory lists as affected. The old SDK cores of
// @aws-sdk/client-fis 3.523 and @aws-sdk/client-synthetics 3.669 pin fast-xml-parser 4.2.5 / 4.4.1
// and uuid 9.0.1; package.json `overrides` lift them to patched, API-compatible versions.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/fixtures.js";

interface Advisory {
  id: string;
  pkg: string;
  /** Versions below this are affected (same major line as the fix). */
  fixedIn: string;
}

const ADVISORIES: Advisory[] = [
  { id: "GHSA-mpg4-rc92-vx8v", pkg: "fast-xml-parser", fixedIn: "4.4.1" },
  { id: "GHSA-m7jm-9gc2-mpf2", pkg: "fast-xml-parser", fixedIn: "4.5.4" },
  { id: "GHSA-jmr7-xgp7-cmfj", pkg: "fast-xml-parser", fixedIn: "4.5.4" },
  { id: "GHSA-w5hq-g745-h8pq", pkg: "uuid", fixedIn: "11.1.1" },
];

function parts(version: string): number[] {
  const core = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!core) throw new Error(`not a semver version: ${version}`);
  return [Number(core[1]), Number(core[2]), Number(core[3])];
}

function below(version: string, fixedIn: string): boolean {
  const a = parts(version);
  const b = parts(fixedIn);
  for (let i = 0; i < 3; i++) {
    if (a[i] !== b[i]) return (a[i] ?? 0) < (b[i] ?? 0);
  }
  return false;
}

/** Every installed copy of `name` under node_modules (nested ones too), as path -> version. */
function installedCopies(root: string, name: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (modules: string): void => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      const dirs = entry.name.startsWith("@")
        ? readdirSync(path.join(modules, entry.name), { withFileTypes: true })
            .filter((d) => d.isDirectory())
            .map((d) => `${entry.name}/${d.name}`)
        : [entry.name];
      for (const dir of dirs) {
        const pkgDir = path.join(modules, dir);
        const manifest = path.join(pkgDir, "package.json");
        if (dir === name && existsSync(manifest)) {
          const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
          found.set(pkgDir, version);
        }
        walk(path.join(pkgDir, "node_modules"));
      }
    }
  };
  walk(path.join(root, "node_modules"));
  return found;
}

function lockedCopies(lockfile: string, name: string): Map<string, string> {
  const lock = JSON.parse(readFileSync(lockfile, "utf8")) as {
    packages: Record<string, { version?: string }>;
  };
  const found = new Map<string, string>();
  for (const [key, entry] of Object.entries(lock.packages)) {
    if ((key === `node_modules/${name}` || key.endsWith(`/node_modules/${name}`)) && entry.version) {
      found.set(key, entry.version);
    }
  }
  return found;
}

describe("installed dependency tree holds no advisory-affected version", () => {
  it("the version comparison is numeric", () => {
    expect(below("4.2.5", "4.4.1")).toBe(true);
    expect(below("4.4.1", "4.4.1")).toBe(false);
    expect(below("4.10.0", "4.4.1")).toBe(false);
    expect(below("9.0.1", "11.1.1")).toBe(true);
  });

  for (const advisory of ADVISORIES) {
    it(`${advisory.pkg} >= ${advisory.fixedIn} everywhere (${advisory.id})`, () => {
      const installed = installedCopies(repoRoot, advisory.pkg);
      const locked = lockedCopies(path.join(repoRoot, "package-lock.json"), advisory.pkg);
      expect(installed.size, `${advisory.pkg} is in the tree (the SDK cores need it)`).toBeGreaterThan(0);
      expect(locked.size).toBeGreaterThan(0);
      const affected = [...installed, ...locked].filter(([, version]) => below(version, advisory.fixedIn)).map(([where, version]) => `${where}@${version}`);
      expect(affected, `fix: package.json "overrides" -> "${advisory.pkg}": ">=${advisory.fixedIn}"`).toEqual([]);
    });
  }
});
