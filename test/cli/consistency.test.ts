// Level 4: the CLI's shared behaviour (src/cli/args.ts, input.ts, output.ts, io.ts), run in-process.
// One test per inconsistency listed in issue 15.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { encodingProblem } from "../../src/cli/input.js";
import { EXIT_CODES_HELP } from "../../src/cli/io.js";
import { COMMANDS } from "../../src/cli/main.js";
import { REPORT_TOOLS, SUPPORTED_FORMATS } from "../../src/findings/parse.js";
import { cliTmp, runCli } from "../support/cli.js";
import { fixturePath, repoRoot } from "../support/fixtures.js";

const tmp = cliTmp;
const dpra = runCli;

const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string };

describe("one CLI", () => {
  it("prints its version with --version", async () => {
    expect(await dpra(["--version"])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
  });

  it("parses every command with the same parser: --flag=value, -h and unknown flags alike", async () => {
    for (const c of COMMANDS) {
      const help = await dpra([c.name, "-h"]);
      expect({ name: c.name, code: help.code }).toEqual({ name: c.name, code: 0 });
      expect(help.stdout).toContain(`Usage: dpra ${c.name}`);
      const unknown = await dpra([c.name, "--frobnicate"]);
      expect({ name: c.name, code: unknown.code }).toEqual({ name: c.name, code: 2 });
      expect(unknown.stderr).toContain(`dpra ${c.name}: Unknown option '--frobnicate'`);
    }
    const dir = tmp();
    writeFileSync(path.join(dir, "package.json"), "{}");
    expect((await dpra(["plan", `--source=${dir}`, "--format=mermaid"])).stdout).toContain("flowchart");
    expect((await dpra(["plan", "--source"])).stderr).toContain("dpra plan: Option '--source <value>' argument missing");
  });

  it("shows one exit-code table in every command's --help, the top-level help and the README", async () => {
    expect((await dpra(["--help"])).stdout).toContain(EXIT_CODES_HELP);
    for (const c of COMMANDS) expect((await dpra([c.name, "--help"])).stdout).toContain(EXIT_CODES_HELP);
    expect(readFileSync(path.join(repoRoot, "README.md"), "utf8")).toContain(EXIT_CODES_HELP);
  });

  it("reads a report from the standard input with -", async () => {
    const report = readFileSync(fixturePath("gitleaks", "gitleaks-json_simple.json"));
    const run = await dpra(["gate", "-", "--format", "json"], tmp(), report);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ reports: [{ source: "(stdin)", tool: "gitleaks" }] });
    expect((await dpra(["gate", "-", "-"], tmp(), report)).stderr).toContain('"-" (the standard input) can be given only once');
  });

  it("refuses an unknown --tool, listing the valid ones", async () => {
    const run = await dpra(["gate", "--tool", "nosuchtool", fixturePath("gitleaks", "gitleaks-empty.json")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`dpra gate: --tool must be one of ${REPORT_TOOLS.join(", ")}, not "nosuchtool"\n`);
  });

  it("creates missing folders for --output and --summary alike", async () => {
    const dir = tmp();
    const run = await dpra(["gate", fixturePath("gitleaks", "gitleaks-empty.json"), "--output", "a/b/gate.md", "--summary", "c/d/summary.md"], dir);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(existsSync(path.join(dir, "a/b/gate.md"))).toBe(true);
    expect(readFileSync(path.join(dir, "c/d/summary.md"), "utf8")).toContain("dpra gate passed");
    // A path under a file cannot be created: the flag and the file are named, no stack trace.
    writeFileSync(path.join(dir, "file"), "");
    const bad = await dpra(["gate", fixturePath("gitleaks", "gitleaks-empty.json"), "--summary", "file/summary.md"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^dpra gate: --summary file\/summary\.md: cannot write the file: E[A-Z]+/);
    expect(bad.stderr).not.toContain("    at ");
  });

  it("exits 2 on an invalid dpra.yaml in every command", async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, "package.json"), "{}");
    writeFileSync(path.join(dir, "dpra.yaml"), "policy:\n  failOn: { sast: severe }\n");
    const gate = await dpra(["gate", fixturePath("gitleaks", "gitleaks-empty.json")], dir);
    const plan = await dpra(["plan"], dir);
    for (const run of [gate, plan]) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("dpra.yaml:2:");
      expect(run.stderr).toContain("policy.failOn.sast");
    }
  });

  it("names binary, NUL-filled and UTF-16 input as such, for reports and dpra.yaml", async () => {
    const dir = tmp();
    const json = '[{"RuleID":"x"}]';
    writeFileSync(path.join(dir, "utf16.json"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, "utf16le")]));
    writeFileSync(path.join(dir, "utf16-nobom.json"), Buffer.from(json, "utf16le"));
    writeFileSync(path.join(dir, "zeros.json"), Buffer.alloc(4096));
    writeFileSync(path.join(dir, "binary.json"), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0x9c, 0xff]));
    writeFileSync(path.join(dir, "latin1.json"), Buffer.from('{"a": "caf\xe9"}', "latin1"));
    const expected: Record<string, string> = {
      "utf16.json": "UTF-16 text (little-endian byte-order mark FF FE)",
      "utf16-nobom.json": "UTF-16 text without a byte-order mark (little-endian)",
      "zeros.json": "filled with NUL bytes",
      "binary.json": "binary data (2 NUL bytes in the first 10 bytes)",
      "latin1.json": "binary data or text that is not UTF-8",
    };
    for (const [file, what] of Object.entries(expected)) {
      const run = await dpra(["gate", file], dir);
      expect({ file, code: run.code }).toEqual({ file, code: 2 });
      expect(run.stderr).toContain(`dpra gate: ${file}: not UTF-8 text but ${what}`);
      expect(run.stderr).not.toContain("(root)");
    }
    const stdin = await dpra(["gate", "-"], dir, Buffer.from(json, "utf16le").swap16());
    expect(stdin.stderr).toContain("dpra gate: (stdin): not UTF-8 text but UTF-16 text without a byte-order mark (big-endian)");
    mkdirSync(path.join(dir, "app"));
    writeFileSync(path.join(dir, "app", "dpra.yaml"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("name: x\n", "utf16le")]));
    const plan = await dpra(["plan", "--source", "app"], dir);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toContain("dpra.yaml: not UTF-8 text but UTF-16 text (little-endian byte-order mark FF FE)");
    // UTF-8 with a multi-byte character cut at the sniffed prefix's end is still text.
    expect(encodingProblem(Buffer.from("é").subarray(0, 1), false)).toBeUndefined();
  });

  it("names a missing --source folder as missing, and a file as not a folder", async () => {
    const dir = tmp();
    const missing = await dpra(["plan", "--source", "nonexistent"], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`dpra plan: --source nonexistent: the folder does not exist (${path.join(dir, "nonexistent")}); pass an existing folder\n`);
    writeFileSync(path.join(dir, "f"), "");
    expect((await dpra(["plan", "--source", "f"], dir)).stderr).toBe("dpra plan: --source f: is a file, not a folder\n");
  });

  it("lists every report format the parser accepts in the gate's --help", async () => {
    const help = (await dpra(["gate", "--help"])).stdout.replace(/\s+/g, " ");
    expect(help).toContain(SUPPORTED_FORMATS);
    for (const f of ["cfn-lint JSON", "dpra gate JSON", "ESLint JSON", "JUnit XML", "CycloneDX"]) expect(help).toContain(f);
  });
});

describe("a missing optional peer dependency", () => {
  it("is named with the command to install it, exit 2", async () => {
    const { commandFailure } = await import("../../src/cli/args.js");
    let stderr = "";
    const err = Object.assign(new Error("Cannot find package '@aws-sdk/client-cloudformation' imported from /x/dist/aws/sdk.js"), { code: "ERR_MODULE_NOT_FOUND" });
    expect(commandFailure("deploy", err, { stderr: (t) => void (stderr += t) })).toBe(2);
    expect(stderr).toBe(
      "dpra deploy: this command needs @aws-sdk/client-cloudformation, an optional peer dependency of @dpra/cli; install it next to the CLI (npm install @aws-sdk/client-cloudformation@3) and run again\n",
    );
  });
});
