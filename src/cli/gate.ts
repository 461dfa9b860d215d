import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError } from "../config/errors.js";
import { parseConfig, validateConfig } from "../config/load.js";
import type { PolicyConfig } from "../config/sections/policy.js";
import { ReportError } from "../findings/errors.js";
import type { Finding, FindingSet, ToolName } from "../findings/model.js";
import { parseReportFile } from "../findings/parse.js";
import { evaluateGate } from "../policy/gate.js";
import { renderJson, renderMarkdown, renderSarif } from "../policy/render.js";
import { EXIT, type CliCommand, type CliIO } from "./io.js";

export const GATE_USAGE = `Usage: dpra gate <report>... [options]

Applies the dpra.yaml policy to scanner, linter and test reports and fails on blocking findings.
The tool and format of each report are detected from its content: gitleaks JSON/SARIF, semgrep
JSON/SARIF, trivy JSON/SARIF/CycloneDX, any SARIF 2.1.0, ESLint JSON, JUnit XML.

Options:
  -c, --config <file>    dpra.yaml with the policy (default: ./dpra.yaml when it exists, else defaults)
  -f, --format <fmt>     md | json | sarif (default: md)
  -o, --output <file>    write the report there instead of stdout
      --summary <file>   also append the Markdown summary there (e.g. "$GITHUB_STEP_SUMMARY")
      --baseline <file>  findings of an earlier run (a dpra JSON report or any report above);
                         only findings not in it block (default: policy.baseline)
      --tool <name>      the tool that wrote the reports, when detection needs help; with
                         --tool gitleaks a missing report file means "no leaks"
      --root <dir>       strip this prefix from absolute paths (ESLint, SARIF)
  -h, --help             show this help

Exit codes: 0 the gate passed, 1 blocking findings, 2 unreadable input or bad usage.`;

const FORMATS = ["md", "json", "sarif"] as const;
type Format = (typeof FORMATS)[number];

class UsageError extends Error {}

async function loadPolicy(configPath: string | undefined, io: CliIO): Promise<{ policy: PolicyConfig; dir: string }> {
  const explicit = configPath !== undefined;
  const file = path.resolve(io.cwd, configPath ?? "dpra.yaml");
  if (!explicit && !existsSync(file)) return { policy: validateConfig({}).policy, dir: io.cwd };
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read the config file ${file}: ${(err as Error).message}`);
  }
  return { policy: parseConfig(text, configPath ?? "dpra.yaml").policy, dir: path.dirname(file) };
}

async function run(args: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: "string", short: "c" },
        format: { type: "string", short: "f", default: "md" },
        output: { type: "string", short: "o" },
        summary: { type: "string" },
        baseline: { type: "string" },
        tool: { type: "string" },
        root: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    io.stderr(`dpra gate: ${(err as Error).message}\n\n${GATE_USAGE}\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${GATE_USAGE}\n`);
    return EXIT.ok;
  }
  const format = values.format as Format;
  if (!FORMATS.includes(format)) {
    io.stderr(`dpra gate: --format must be one of ${FORMATS.join(", ")}, got "${values.format}"\n`);
    return EXIT.usage;
  }
  if (positionals.length === 0) {
    io.stderr(`dpra gate: give at least one report file\n\n${GATE_USAGE}\n`);
    return EXIT.usage;
  }
  try {
    const { policy, dir } = await loadPolicy(values.config, io);
    const tool = values.tool as ToolName | undefined;
    const results = await Promise.allSettled(
      positionals.map((p) => parseReportFile(path.resolve(io.cwd, p), { file: p, tool, root: values.root })),
    );
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failures.length > 0) {
      for (const f of failures) io.stderr(`dpra gate: ${f.reason instanceof Error ? f.reason.message : String(f.reason)}\n`);
      return EXIT.usage;
    }
    const sets = results.map((r) => (r as PromiseFulfilledResult<FindingSet>).value);
    let baseline: Finding[] | undefined;
    const baselinePath = values.baseline !== undefined ? path.resolve(io.cwd, values.baseline) : policy.baseline ? path.resolve(dir, policy.baseline) : undefined;
    if (baselinePath) baseline = (await parseReportFile(baselinePath, { file: values.baseline ?? policy.baseline })).findings;
    const result = evaluateGate(sets, policy, { today: io.now(), baseline });
    const rendered = format === "json" ? renderJson(result) : format === "sarif" ? renderSarif(result) : renderMarkdown(result);
    if (values.output) {
      const out = path.resolve(io.cwd, values.output);
      await mkdir(path.dirname(out), { recursive: true });
      await writeFile(out, rendered);
      io.stdout(`dpra gate ${result.verdict}\n`);
    } else {
      io.stdout(rendered);
    }
    if (values.summary) await appendFile(path.resolve(io.cwd, values.summary), renderMarkdown(result));
    if (!result.passed) {
      for (const g of result.blocking.slice(0, 20)) io.stderr(`blocking: [${g.finding.severity}] ${g.finding.tool} ${g.finding.rule} ${g.finding.location.path ?? ""}: ${g.reason}\n`);
      if (result.blocking.length > 20) io.stderr(`blocking: ...and ${result.blocking.length - 20} more\n`);
    }
    return result.passed ? EXIT.ok : EXIT.blocked;
  } catch (err) {
    if (err instanceof ReportError || err instanceof ConfigError || err instanceof UsageError) {
      io.stderr(`dpra gate: ${err.message}\n`);
      return EXIT.usage;
    }
    io.stderr(`dpra gate: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.usage;
  }
}

export const gateCommand: CliCommand = {
  name: "gate",
  summary: "apply the dpra.yaml policy to scanner, linter and test reports (exit 0 pass, 1 blocking, 2 bad input)",
  run,
};
