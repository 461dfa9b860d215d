// `dpra scan [dir]`: the build stage's scanners on the host, without a container engine.
import { existsSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseConfig, validateConfig } from "../../config/load.js";
import type { DpraConfig } from "../../config/schema.js";
import { renderJson } from "../../policy/render.js";
import { buildSarif } from "../../policy/sarif.js";
import { MissingToolError, runScan } from "../../scan/run.js";
import { SCAN_TOOLS } from "../../scan/steps.js";
import { renderScanSummary } from "../../scan/summary.js";
import { commandFailure, oneOf, parseCommand } from "../args.js";
import { readInput, requireDirectory } from "../input.js";
import { EXIT, EXIT_CODES_HELP, UsageError, type CliCommand, type CliIO } from "../io.js";
import { writeOutput } from "../output.js";

export const SCAN_USAGE = `Usage: dpra scan [dir] [options]

Runs the build stage's scanners on this host, without a container engine, concurrently: gitleaks
(secrets), semgrep (SAST), trivy fs (dependencies, secrets, misconfigurations, CycloneDX SBOM) and
cfn-lint (the CloudFormation templates under quality.iac.paths). Each runs with the same command
line as its Dagger recipe. The binaries come from <tools-dir>/bin (npm run tools:install), then PATH.
The findings are judged by dpra.yaml's policy, as in the build stage.

Options:
  -o, --output <dir>     where the reports go (default: dpra-reports): dpra.sarif, summary.md,
                         dpra.json, sbom.cdx.json and each tool's raw report under raw/
  -c, --config <file>    dpra.yaml (default: <dir>/dpra.yaml when it exists, else defaults)
      --skip <tool>      do not run this tool (repeatable): ${SCAN_TOOLS.join(", ")}; the summary says so
      --tools-dir <dir>  folder whose bin/ is searched first (default: ./.tools)
      --no-path          search only <tools-dir>/bin, not PATH
      --offline          leave out trivy's vulnerability scanner (it downloads its database)
      --trivy-cache <dir>  trivy's cache folder (default: ~/.cache/trivy)
  -h, --help             show this help

${EXIT_CODES_HELP}`;

const OPTIONS = {
  output: { type: "string", short: "o", default: "dpra-reports" },
  config: { type: "string", short: "c" },
  skip: { type: "string", multiple: true, default: [] as string[] },
  "tools-dir": { type: "string" },
  "no-path": { type: "boolean", default: false },
  offline: { type: "boolean", default: false },
  "trivy-cache": { type: "string" },
} as const;

async function loadConfig(configArg: string | undefined, source: string, io: CliIO): Promise<DpraConfig> {
  const file = configArg ?? path.join(source, "dpra.yaml");
  if (configArg === undefined && !existsSync(file)) return validateConfig({});
  const { text, label } = await readInput(configArg ?? path.relative(io.cwd, file), io, "config file");
  return parseConfig(text, label);
}

async function run(args: string[], io: CliIO): Promise<number> {
  const parsed = parseCommand({ name: "scan", usage: SCAN_USAGE, options: OPTIONS, positionals: true }, args, io);
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  try {
    if (positionals.length > 1) throw new UsageError(`give at most one source folder, not ${positionals.length}\n\n${SCAN_USAGE}`);
    const source = await requireDirectory("dir", positionals[0] ?? ".", io.cwd);
    const skip = values.skip.map((s) => oneOf("--skip", s, SCAN_TOOLS));
    const config = await loadConfig(values.config, source, io);
    const outputDir = path.resolve(io.cwd, values.output);
    const scan = await runScan({
      source,
      outputDir,
      config,
      skip,
      offline: values.offline,
      trivyCacheDir: values["trivy-cache"] ? path.resolve(io.cwd, values["trivy-cache"]) : path.join(os.homedir(), ".cache", "trivy"),
      toolsDir: path.resolve(io.cwd, values["tools-dir"] ?? ".tools"),
      path: values["no-path"] ? "" : undefined,
      today: io.now(),
    });
    for (const w of scan.versionWarnings) io.stderr(`dpra scan: warning: ${w}\n`);
    const sarif = buildSarif(scan.result);
    await writeOutput("--output", path.join(outputDir, "dpra.sarif"), io.cwd, sarif.text);
    await writeOutput("--output", path.join(outputDir, "dpra.json"), io.cwd, renderJson(scan.result));
    await writeOutput("--output", path.join(outputDir, "summary.md"), io.cwd, renderScanSummary(scan));
    const sbom = scan.runs.find((r) => r.step.action === "sbom" && !r.incomplete);
    if (sbom) await copyFile(sbom.step.report, path.join(outputDir, "sbom.cdx.json"));
    for (const r of scan.runs.filter((x) => x.incomplete)) io.stderr(`dpra scan: ${r.step.action}: ${r.incomplete}\n`);
    const { result } = scan;
    if (!result.passed) {
      for (const g of result.blocking.slice(0, 20)) {
        const loc = g.finding.location;
        io.stderr(`blocking: [${g.finding.severity}] ${g.finding.tool} ${g.finding.rule} ${loc.path ?? ""}${loc.startLine ? `:${loc.startLine}` : ""}: ${g.reason}\n`);
      }
      if (result.blocking.length > 20) io.stderr(`blocking: ...and ${result.blocking.length - 20} more\n`);
    }
    io.stdout(`dpra scan ${result.verdict} (${scan.runs.length} scans in ${(scan.ms / 1000).toFixed(1)} s; reports in ${path.relative(io.cwd, outputDir) || "."})\n`);
    return result.passed ? EXIT.ok : EXIT.blocked;
  } catch (err) {
    if (err instanceof MissingToolError) {
      io.stderr(`dpra scan: ${err.message}\n`);
      return EXIT.usage;
    }
    return commandFailure("scan", err, io);
  }
}

export const scanCommand: CliCommand = {
  name: "scan",
  summary: "run the build stage's scanners on this host (no container engine) and apply the policy",
  run,
};
