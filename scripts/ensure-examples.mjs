#!/usr/bin/env node
// Installs the dependencies of the bundled sample apps before the root tests run: each example is
// a self-contained project with its own package-lock.json (users copy it as a template), and the
// root vitest run includes its tests. `npm ci` runs only when node_modules is missing or older
// than the lockfile, so a warm checkout pays nothing.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const EXAMPLES = ["examples/fruit-api"];

/** True when `npm ci` must run: no install yet, or the lockfile changed after the last install. */
export function needsInstall(dir) {
  const lock = path.join(dir, "package-lock.json");
  // npm writes this file at the end of every install, so its time is the time of the last install.
  const marker = path.join(dir, "node_modules", ".package-lock.json");
  if (!existsSync(lock)) throw new Error(`${path.relative(root, dir)}: package-lock.json is missing; run npm install there and commit the lockfile`);
  if (!existsSync(marker)) return true;
  return statSync(marker).mtimeMs < statSync(lock).mtimeMs;
}

function main() {
  for (const example of EXAMPLES) {
    const dir = path.join(root, example);
    if (!needsInstall(dir)) continue;
    console.log(`ensure-examples: npm ci in ${example}`);
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const result = spawnSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: dir, stdio: "inherit" });
    if (result.status !== 0) {
      console.error(`ensure-examples: npm ci failed in ${example} (exit ${result.status ?? result.signal})`);
      process.exit(result.status ?? 1);
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
