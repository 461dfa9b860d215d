#!/usr/bin/env node
// Part of `npm run build` (the CLI package): copies the bundled semgrep rules next to the compiled
// CLI, to <dist>/modules/semgrep/rules, where `dpra scan` looks for them (src/scan/bundled-rules.ts).
// Only the rule files (*.yaml) are copied; their `semgrep --test` cases stay in the repository.
// Usage: node scripts/copy-cli-rules.mjs [dist folder, default packages/cli/dist]
import { cpSync, existsSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const from = path.join(root, "modules", "semgrep", "rules");
const dist = path.resolve(process.argv[2] ?? path.join(root, "packages", "cli", "dist"));
const to = path.join(dist, "modules", "semgrep", "rules");

if (!existsSync(path.join(dist, "src", "cli", "main.js"))) {
  console.error(`copy-cli-rules: ${dist} holds no compiled CLI (src/cli/main.js); run tsc -p packages/cli/tsconfig.json first`);
  process.exit(2);
}
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true, filter: (src) => statSync(src).isDirectory() || src.endsWith(".yaml") });
console.log(`copy-cli-rules: ${path.relative(root, from)} (*.yaml) -> ${path.relative(root, to) || to}`);
