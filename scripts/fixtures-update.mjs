#!/usr/bin/env node
// npm run fixtures:update [-- <shared folder>]: refreshes test/fixtures from the shared fixtures
// folder (default ../shared/fixtures, and the DPRA text from ../shared/seed) byte for byte, and
// says what changed. The tests read only test/fixtures, so a fresh clone tests on its own.
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const shared = path.resolve(process.argv[2] ?? path.join(root, "..", "shared"));
const target = path.join(root, "test", "fixtures");
const sources = [
  { from: path.join(shared, "fixtures"), to: target },
  { from: path.join(shared, "seed", "application-pipeline.md"), to: path.join(target, "dpra", "application-pipeline.md") },
];

function files(dir) {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => statSync(path.join(dir, f)).isFile());
}

for (const { from } of sources) {
  if (!existsSync(from)) {
    console.error(`fixtures:update: ${from} does not exist; pass the shared folder (the one holding fixtures/ and seed/) as the argument`);
    process.exit(2);
  }
}
let changed = 0;
for (const { from, to } of sources) {
  const pairs = statSync(from).isDirectory() ? files(from).map((f) => [path.join(from, f), path.join(to, f)]) : [[from, to]];
  for (const [src, dst] of pairs) {
    const same = existsSync(dst) && readFileSync(dst).equals(readFileSync(src));
    if (same) continue;
    cpSync(src, dst);
    changed++;
    console.log(`updated ${path.relative(root, dst)}`);
  }
}
console.log(`fixtures:update: ${changed} file(s) changed; record new files' provenance in test/fixtures/SOURCES.md`);
