import { existsSync } from "node:fs";
import path from "node:path";
import { parseConfig, validateConfig } from "../config/load.js";
import type { PolicyConfig } from "../config/sections/policy.js";
import type { Finding, FindingSet } from "../findings/model.js";
import { REPORT_TOOLS, SUPPORTED_FORMATS, parseReport, parseReportFile, type ParseHint } from "../findings/parse.js";
import { evaluateGate } from "../policy/gate.js";
import { renderJson, renderMarkdown } from "../policy/render.js";
import { buildSarif } from "../policy/sarif.js";
import { commandFailure, oneOf, parseCommand } from "./args.js";
import { checkTextFile, readInput, STDIN } from "./input.js";
import { EXIT, EXIT_CODES_HELP, UsageError, type CliCommand, type CliIO } from "./io.js";
import { writeOutput } from "./output.js";

export const GATE_USAGE = `Usage: dpra gate <report>... [options]

Applies the dpra.yaml policy to scanner, linter and test reports and fails on blocking findings.
A report "-" is read from the standard input. The tool and format of each report are detected
from its content; accepted: ${SUPPORTED_FORMATS}.

Options:
  -c, --config <file>    dpra.yaml with the policy (default: ./dpra.yaml when it exists, else defaults)
  -f, --format <fmt>     md | json | sarif (default: md); SARIF keeps GitHub's limits of 25,000
                         results and rules per run (the most severe) and notes what it left out
  -o, --output <file>    write the report there instead of stdout (missing folders are created)
      --summary <file>   also append the Markdown summary there (e.g. "$GITHUB_STEP_SUMMARY")
      --baseline <file>  findings of an earlier run (a dpra JSON report or any report above);
                         only findings not in it block (default: policy.baseline)
      --tool <name>      the tool that wrote the reports, when detection needs help: ${REPORT_TOOLS.join(", ")};
                         with --tool gitleaks a missing report file means "no leaks"
      --root <dir>       strip this prefix from absolute paths (ESLint, SARIF)
  -h, --help             show this help

${EXIT_CODES_HELP}`;

const FORMATS = ["md", "json", "sarif"] as const;

const OPTIONS = {
  config: { type: "string", short: "c" },
  format: { type: "string", short: "f", default: "md" },
  output: { type: "string", short: "o" },
  summary: { type: "string" },
  baseline: { type: "string" },
  tool: { type: "string" },
  root: { type: "string" },
} as const;

async function loadPolicy(configPath: string | undefined, io: CliIO): Promise<{ policy: PolicyConfig; dir: string }> {
  if (configPath === undefined && !existsSync(path.resolve(io.cwd, "dpra.yaml"))) return { policy: validateConfig({}).policy, dir: io.cwd };
  const arg = configPath ?? "dpra.yaml";
  const { text, label } = await readInput(arg, io, "config file");
  return { policy: parseConfig(text, label).policy, dir: arg === STDIN ? io.cwd : path.dirname(path.resolve(io.cwd, arg)) };
}

/** One report argument: `-` from the standard input, else a file (checked to be text, then parsed or streamed). */
async function readReport(arg: string, io: CliIO, hint: ParseHint): Promise<FindingSet> {
  if (arg === STDIN) {
    const { text, label } = await readInput(arg, io, "report");
    return parseReport(text, { ...hint, file: label });
  }
  const file = path.resolve(io.cwd, arg);
  await checkTextFile(file, arg);
  return parseReportFile(file, { ...hint, file: arg });
}

async function run(args: string[], io: CliIO): Promise<number> {
  const parsed = parseCommand({ name: "gate", usage: GATE_USAGE, options: OPTIONS, positionals: true }, args, io);
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  try {
    const format = oneOf("--format", values.format, FORMATS);
    const tool = values.tool === undefined ? undefined : oneOf("--tool", values.tool, REPORT_TOOLS);
    if (positionals.length === 0) throw new UsageError(`give at least one report file ("-" for the standard input)\n\n${GATE_USAGE}`);
    const stdinUses = [...positionals, values.config, values.baseline].filter((a) => a === STDIN).length;
    if (stdinUses > 1) throw new UsageError('"-" (the standard input) can be given only once');
    const { policy, dir } = await loadPolicy(values.config, io);
    const results = await Promise.allSettled(positionals.map((p) => readReport(p, io, { tool, root: values.root })));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failures.length > 0) {
      for (const f of failures.slice(0, -1)) commandFailure("gate", f.reason, io);
      return commandFailure("gate", failures[failures.length - 1]!.reason, io);
    }
    const sets = results.map((r) => (r as PromiseFulfilledResult<FindingSet>).value);
    let baseline: Finding[] | undefined;
    const baselineArg = values.baseline ?? (policy.baseline ? path.resolve(dir, policy.baseline) : undefined);
    if (baselineArg !== undefined) baseline = (await readReport(baselineArg, io, {})).findings;
    const result = evaluateGate(sets, policy, { today: io.now(), baseline });
    const sarif = format === "sarif" ? buildSarif(result) : undefined;
    const rendered = format === "json" ? renderJson(result) : sarif ? sarif.text : renderMarkdown(result);
    if (values.output) {
      await writeOutput("--output", values.output, io.cwd, rendered);
      io.stdout(`dpra gate ${result.verdict}\n`);
    } else {
      io.stdout(rendered);
    }
    if (values.summary) await writeOutput("--summary", values.summary, io.cwd, renderMarkdown(result, { sarif: sarif?.truncation }), "append");
    for (const t of sarif?.truncation ?? []) io.stderr(`dpra gate: SARIF run ${t.tool}: ${t.note}\n`);
    if (!result.passed) {
      for (const g of result.blocking.slice(0, 20))
        io.stderr(`blocking: [${g.finding.severity}] ${g.finding.tool} ${g.finding.rule} ${g.finding.location.path ?? ""}: ${g.reason}\n`);
      if (result.blocking.length > 20) io.stderr(`blocking: ...and ${result.blocking.length - 20} more\n`);
    }
    return result.passed ? EXIT.ok : EXIT.blocked;
  } catch (err) {
    return commandFailure("gate", err, io);
  }
}

export const gateCommand: CliCommand = {
  name: "gate",
  summary: "apply the dpra.yaml policy to scanner, linter and test reports",
  run,
};
