// Rewrites the committed surface snapshots (test/surface/<module>.json) from the SDK introspector.
// Run after changing a @func, an argument or a description; review the diff like any API change.
import { writeFileSync } from "node:fs";
import { introspect, listModules, missingDescriptions, snapshotPath } from "../test/support/surface.js";

let failed = false;
for (const module of listModules()) {
  const surface = await introspect(module);
  const missing = missingDescriptions(surface);
  if (missing.length > 0) {
    failed = true;
    console.error(`${module.name}: missing descriptions:\n  ${missing.join("\n  ")}`);
  }
  writeFileSync(snapshotPath(module), `${JSON.stringify(surface, null, 2)}\n`);
  console.log(`wrote ${snapshotPath(module)}`);
}
if (failed) process.exit(1);
