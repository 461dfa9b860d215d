// Level 1 (real tool): the pinned semgrep, run with the project's own command line (semgrepArgs),
// writes the reports of a run that executed no rule, and the shared parser, `dpra gate` and
// `dpra scan` block on them: no rule loaded (an empty rules folder) is sast-no-rules; rules that
// apply to no file (another language, or every file excluded) is sast-no-files-scanned.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { parseDocument } from "yaml";
import { semgrepArgs, type SemgrepArgsOptions } from "../../modules/semgrep/src/args.js";
import { parseReportFile } from "../../src/findings/parse.js";
import { SAST_NO_FILES_RULE, SAST_NO_RULES_RULE } from "../../src/findings/sast-coverage.js";
import { TOOLS } from "../../src/tools/catalog.js";
import { runCli } from "../support/cli.js";
import { repoRoot } from "../support/fixtures.js";
import { describeReal, TOOLS_BIN, type RealTool } from "../support/real.js";

const RULE = (language: string) =>
  `rules:\n  - id: eval-call\n    languages: [${language}]\n    message: eval runs a string as code\n    severity: ERROR\n    pattern: eval(...)\n`;

interface Run {
  exitCode: number | null;
  json: string;
  sarif: string;
}

/** A source with one JavaScript file and a rules folder (`rules`: file name to content), scanned as the project does. */
function scanWith(tool: RealTool, rules: Record<string, string>, opts: Omit<SemgrepArgsOptions, "rulesDir"> = {}): Run {
  const root = mkdtempSync(path.join(os.tmpdir(), "dpra-sast-coverage-"));
  const source = path.join(root, "src");
  const rulesDir = path.join(root, "rules");
  mkdirSync(source);
  mkdirSync(rulesDir);
  writeFileSync(path.join(source, "app.js"), "export const greet = (name) => `hello ${name}`;\n");
  for (const [name, text] of Object.entries(rules)) writeFileSync(path.join(rulesDir, name), text);
  const json = path.join(root, "semgrep.json");
  const sarif = path.join(root, "semgrep.sarif");
  const [program, ...args] = semgrepArgs({ ...opts, rulesDir: true }, { rulesDir, jsonReport: json, sarifReport: sarif });
  expect(program).toBe("semgrep");
  const run = spawnSync(tool.bin, args, { cwd: source, encoding: "utf8", timeout: 120_000, env: { ...process.env, ...TOOLS.semgrep.runEnv } });
  if (run.error) throw run.error;
  return { exitCode: run.status, json, sarif };
}

const rulesOf = async (report: string, format: string) => (await parseReportFile(report, { tool: "semgrep", format, category: "sast" })).findings.map((f) => f.rule);

describeReal("semgrep", (tool) => {
  it("an empty rules folder: exit 7, and the JSON and SARIF reports are sast-no-rules; dpra gate exits 1 on either", async () => {
    const run = scanWith(tool, {});
    expect(run.exitCode).toBe(7);
    const report = JSON.parse(readFileSync(run.json, "utf8")) as { errors: Array<{ code: number }>; paths: { scanned: string[] } };
    expect(report.errors.map((e) => e.code)).toEqual([7]);
    expect(await rulesOf(run.json, "semgrep-json")).toEqual([SAST_NO_RULES_RULE]);
    expect(await rulesOf(run.sarif, "sarif")).toEqual([SAST_NO_RULES_RULE]);
    for (const file of [run.json, run.sarif]) {
      const gate = await runCli(["gate", file]);
      expect(gate.code, file).toBe(1);
      expect(gate.stderr).toMatch(/blocking: \[critical\] semgrep sast-no-rules/);
    }
  }, 120_000);

  it("a rules file with an empty list loads no rule either: nothing is scanned, so the JSON blocks", async () => {
    const run = scanWith(tool, { "empty.yaml": "rules: []\n" });
    expect(run.exitCode).toBe(0);
    expect(await rulesOf(run.json, "semgrep-json")).toEqual([SAST_NO_FILES_RULE]);
    expect(await rulesOf(run.sarif, "sarif")).toEqual([SAST_NO_RULES_RULE]);
  }, 120_000);

  it("python rules on a JavaScript source: exit 0, no file scanned, sast-no-files-scanned", async () => {
    const run = scanWith(tool, { "python.yaml": RULE("python") });
    expect(run.exitCode).toBe(0);
    expect((JSON.parse(readFileSync(run.json, "utf8")) as { paths: { scanned: string[] } }).paths.scanned).toEqual([]);
    expect(await rulesOf(run.json, "semgrep-json")).toEqual([SAST_NO_FILES_RULE]);
  }, 120_000);

  it("JavaScript rules with every file excluded (security.semgrep.exclude): sast-no-files-scanned", async () => {
    const run = scanWith(tool, { "js.yaml": RULE("javascript") }, { exclude: ["*.js"] });
    expect(run.exitCode).toBe(0);
    expect(await rulesOf(run.json, "semgrep-json")).toEqual([SAST_NO_FILES_RULE]);
  }, 120_000);

  it("JavaScript rules on the JavaScript file: the file is scanned and nothing about coverage is reported", async () => {
    const run = scanWith(tool, { "js.yaml": RULE("javascript") });
    expect(run.exitCode).toBe(0);
    expect((JSON.parse(readFileSync(run.json, "utf8")) as { paths: { scanned: string[] } }).paths.scanned).toEqual(["app.js"]);
    expect(await rulesOf(run.json, "semgrep-json")).toEqual([]);
    expect(await rulesOf(run.sarif, "sarif")).toEqual([]);
  }, 120_000);

  it("dpra scan of the example with security.semgrep.rules naming an empty folder exits 1 on sast-no-rules, naming the field", async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "dpra-scan-norules-")), "fruit-api");
    const example = path.join(repoRoot, "examples", "fruit-api");
    cpSync(example, dir, { recursive: true, filter: (src) => !/[\\/](node_modules|dpra-reports|reports)([\\/]|$)/.test(`/${path.relative(example, src)}`) });
    mkdirSync(path.join(dir, "no-rules"));
    writeFileSync(path.join(dir, "no-rules", "README.md"), "rules go here\n");
    const config = parseDocument(readFileSync(path.join(dir, "dpra.yaml"), "utf8"));
    config.setIn(["security", "semgrep", "rules"], ["no-rules/"]);
    writeFileSync(path.join(dir, "dpra.yaml"), config.toString());
    const skip = ["gitleaks", "trivy", "cfn-lint"].flatMap((t) => ["--skip", t]);
    const run = await runCli(["scan", dir, "--offline", "-o", path.join(dir, "..", "out"), "--tools-dir", path.dirname(TOOLS_BIN), ...skip], path.dirname(dir));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/sast-no-rules/);
    const summary = readFileSync(path.join(dir, "..", "out", "summary.md"), "utf8");
    expect(summary).toContain("semgrep loaded no rules from security.semgrep.rules [no-rules/]");
  }, 180_000);
});
