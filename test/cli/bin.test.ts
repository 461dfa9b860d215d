import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fixturePath, repoRoot } from "../support/fixtures.js";

// Level 1: one end-to-end check of the real executable in the repository: compile the CLI as
// `npm run build` does, then run `node packages/cli/bin/dpra.mjs gate` the way `npx dpra gate` would.
describe("packages/cli/bin/dpra.mjs", () => {
  it("builds and runs the gate with the documented exit codes", () => {
    const tsc = spawnSync(process.execPath, [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", "packages/cli/tsconfig.json"], { cwd: repoRoot, encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
    const bin = path.join(repoRoot, "packages", "cli", "bin", "dpra.mjs");
    const fail = spawnSync(process.execPath, [bin, "gate", fixturePath("trivy", "trivy-repo-secrets.json")], { encoding: "utf8" });
    expect(fail.status).toBe(1);
    expect(fail.stdout).toContain("## ❌ dpra gate failed: 2 blocking findings");
    const pass = spawnSync(process.execPath, [bin, "gate", "--format", "json", fixturePath("junit", "vitest-4.1.12-junit-pass.xml")], { encoding: "utf8" });
    expect(pass.status).toBe(0);
    expect(JSON.parse(pass.stdout)).toMatchObject({ schema: "dpra-gate/v1", passed: true });
    const bad = spawnSync(process.execPath, [bin, "gate"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
  }, 60_000);
});
