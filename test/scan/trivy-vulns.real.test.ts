// Level 1 (real tool): real trivy 0.74.0 runs `trivy fs` with the SCA recipe's own argv (modules/trivy/src/args.ts,
// host paths, --skip-db-update) against a vulnerability DB built in beforeAll with trivy-db's own Go package
// (test/trivy-db, `go run`), on a lockfile naming the vulnerable packages. The project's trivy parser reads
// the real report and the policy gate judges it, with and without ignoreUnfixed.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { trivyFsArgs, type TrivyPaths } from "../../modules/trivy/src/args.js";
import { PolicyConfig } from "../../src/config/sections/policy.js";
import { parseTrivyJson } from "../../src/findings/trivy.js";
import type { FindingSet } from "../../src/findings/model.js";
import { evaluateGate } from "../../src/policy/gate.js";
import { repoRoot } from "../support/fixtures.js";
import { describeReal } from "../support/real.js";

const GENERATOR = path.join(repoRoot, "test", "trivy-db");

/** Builds the DB with `go run` into a fresh cache dir; any failure throws (so CI fails, never skips). */
function buildDb(cacheDir: string): void {
  const run = spawnSync("go", ["run", ".", cacheDir], { cwd: GENERATOR, encoding: "utf8", timeout: 240_000 });
  if (run.status !== 0) {
    throw new Error(
      `test/trivy-db: go run . ${cacheDir} failed (status ${run.status ?? run.signal}): ${run.error?.message ?? ""}${run.stderr}. Install Go (see DEVELOPERS.md) and check the Go proxy.`,
    );
  }
}

describeReal("trivy", (tool) => {
  let set: FindingSet;

  beforeAll(() => {
    const work = mkdtempSync(path.join(os.tmpdir(), "dpra-trivy-db-"));
    const cacheDir = path.join(work, "cache");
    buildDb(cacheDir);
    const src = path.join(work, "src");
    mkdirSync(src);
    copyFileSync(path.join(GENERATOR, "lockfile", "package-lock.json"), path.join(src, "package-lock.json"));
    const paths: TrivyPaths = {
      cacheDir,
      ignoreFile: path.join(work, ".trivyignore"),
      input: path.join(work, "image.tar"),
      jsonReport: path.join(work, "trivy.json"),
      sarifReport: path.join(work, "trivy.sarif"),
      sbomReport: path.join(work, "sbom.cdx.json"),
    };
    const argv = trivyFsArgs({ scanners: ["vuln"], skipDbUpdate: true }, paths);
    const run = spawnSync(tool.bin, argv.slice(1), { cwd: src, encoding: "utf8", timeout: 240_000 });
    if (run.status !== 0) throw new Error(`trivy ${argv.slice(1).join(" ")} failed (${run.status ?? run.signal}): ${run.stderr}`);
    set = parseTrivyJson(JSON.parse(readFileSync(paths.jsonReport, "utf8")) as unknown, paths.jsonReport);
  }, 300_000);

  it("finds the fixture advisories with IDs, installed and fixed versions and severities", () => {
    const found = set.findings
      .map((f) => ({ rule: f.rule, pkg: f.location.package, version: f.location.version, fixed: f.fixedVersion, fix: f.fixAvailable, severity: f.severity }))
      .sort((a, b) => a.rule.localeCompare(b.rule));
    expect(found).toEqual([
      { rule: "CVE-2099-0001", pkg: "left-pad", version: "1.2.0", fixed: "1.3.0", fix: true, severity: "high" },
      { rule: "CVE-2099-0002", pkg: "is-number", version: "7.0.0", fixed: undefined, fix: false, severity: "medium" },
    ]);
  });

  it("blocks on the HIGH one with the default policy", () => {
    const gate = evaluateGate([set], PolicyConfig.parse({}), { today: new Date() });
    expect(gate.passed).toBe(false);
    expect(gate.blocking.map((g) => g.finding.rule)).toEqual(["CVE-2099-0001"]);
  });

  it("ignoreUnfixed lets the unfixed one through, and only that one", () => {
    const failOn = { vulnerability: "medium" };
    const strict = evaluateGate([set], PolicyConfig.parse({ failOn }), { today: new Date() });
    expect(strict.blocking.map((g) => g.finding.rule).sort()).toEqual(["CVE-2099-0001", "CVE-2099-0002"]);
    const lenient = evaluateGate([set], PolicyConfig.parse({ failOn, ignoreUnfixed: true }), { today: new Date() });
    expect(lenient.unfixed.map((g) => g.finding.rule)).toEqual(["CVE-2099-0002"]);
    expect(lenient.blocking.map((g) => g.finding.rule)).toEqual(["CVE-2099-0001"]);
    expect(lenient.passed).toBe(false);
  });
});
