// Level 4 (stand-in binary): where `dpra scan` takes a tool's version from. A stand-in `semgrep`
// writes a semgrep JSON report that states one version and prints another for --version: the
// summary and the warning must carry the report's, so semgrep is never started a second time.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TOOLS } from "../../src/tools/catalog.js";
import { runCli } from "../support/cli.js";

function standIn(dir: string, reportVersion: string | undefined): void {
  const bin = path.join(dir, "tools", "bin");
  mkdirSync(bin, { recursive: true });
  const report = JSON.stringify({ results: [], errors: [], paths: { scanned: ["index.js"] }, ...(reportVersion ? { version: reportVersion } : {}) });
  const script = [
    "#!/bin/sh",
    // --version is what a probe would ask for: it answers a version neither test expects.
    'if [ "$1" = "--version" ]; then echo 9.9.9; exit 0; fi',
    'for a in "$@"; do case "$a" in --json-output=*) out="${a#--json-output=}";; esac; done',
    `printf '%s' '${report}' > "$out"`,
    "",
  ].join("\n");
  writeFileSync(path.join(bin, "semgrep"), script);
  chmodSync(path.join(bin, "semgrep"), 0o755);
}

async function scanWithStandIn(reportVersion: string | undefined) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "dpra-scan-versions-"));
  mkdirSync(path.join(dir, "src"));
  writeFileSync(path.join(dir, "src", "index.js"), "export const one = 1;\n");
  standIn(dir, reportVersion);
  const out = path.join(dir, "out");
  const run = await runCli(["scan", "src", "-o", out, "--tools-dir", path.join(dir, "tools"), "--no-path", "--skip", "gitleaks", "--skip", "trivy", "--skip", "cfn-lint"], dir);
  return { run, summary: readFileSync(path.join(out, "summary.md"), "utf8") };
}

describe("dpra scan tool versions", () => {
  it("takes semgrep's version from its report, not from a --version run, and warns when it is not the pin", async () => {
    const { run, summary } = await scanWithStandIn("1.2.3");
    expect(run.code, run.stderr).toBe(0);
    expect(summary).toContain(`| semgrep | 1.2.3 | ${TOOLS.semgrep.version} |`);
    expect(run.stderr).toMatch(new RegExp(`warning: semgrep at \\S+ is version 1\\.2\\.3, the pin is ${TOOLS.semgrep.version.replace(/\./g, "\\.")}`));
    expect(`${run.stderr}${summary}`).not.toContain("9.9.9");
  });

  it("asks semgrep --version when its report states no version", async () => {
    const { run, summary } = await scanWithStandIn(undefined);
    expect(run.code, run.stderr).toBe(0);
    expect(summary).toContain(`| semgrep | 9.9.9 | ${TOOLS.semgrep.version} |`);
  });
});
