#!/usr/bin/env node
// Entry point of the engine-free CLI (@dpra/cli). The TypeScript sources in the repository's src/
// compile to ../dist/ (npm run build at the repository root, run by this package's prepack).
let cli;
try {
  cli = await import("../dist/src/cli/main.js");
} catch (err) {
  if (err && err.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("dist/src/cli/main.js")) {
    process.stderr.write('dpra: the CLI is not built; run "npm run build" at the root of the dpra repository first\n');
    process.exit(2);
  }
  throw err;
}
process.exitCode = await cli.main(process.argv.slice(2));
