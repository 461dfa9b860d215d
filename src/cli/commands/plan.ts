// `dpra plan`: prints the run plan of the application in the current (or given) directory.
import { assertContract, hostContractSource } from "../../config/contract-check.js";
import { contractEnvironments } from "../../config/contract.js";
import { buildRunPlan, TARGET_ENVIRONMENTS } from "../../pipeline/plan.js";
import { PLAN_FORMATS, parsePlanFormat, renderPlan } from "../../pipeline/render.js";
import { commandFailure, oneOf, parseCommand } from "../args.js";
import { requireDirectory } from "../input.js";
import { EXIT, EXIT_CODES_HELP, type CliCommand, type CliIO } from "../io.js";
import { loadHostConfig } from "../source-config.js";
import { errorMessage } from "../../errors.js";

/** What `plan` needs of the CLI's IO: where to write and the directory it runs in. */
export type CommandIo = Pick<CliIO, "stdout" | "stderr" | "cwd"> & Partial<Pick<CliIO, "stdin">>;

export const PLAN_USAGE = `Usage: dpra plan [--env beta|gamma|prod] [--format text|mermaid|dot] [--source <dir>]

Prints the DPRA run plan of the application: every stage and action, required or recommended,
what runs, in which order, and which actions are not configured in dpra.yaml.

Options:
      --env <env>       target environment of the release: ${TARGET_ENVIRONMENTS.join(", ")} (default: beta)
  -f, --format <fmt>    ${PLAN_FORMATS.join(", ")} (default: text; dot, alias graphviz, is Graphviz)
      --source <dir>    application folder holding dpra.yaml (default: the current folder)
  -h, --help            show this help

${EXIT_CODES_HELP}`;

const OPTIONS = {
  env: { type: "string", default: "beta" },
  format: { type: "string", short: "f", default: "text" },
  source: { type: "string" },
} as const;

/** Runs `dpra plan`; resolves to the exit code (0 printed, 2 bad usage, missing folder, invalid dpra.yaml, or a gamma/prod template that breaks the config↔template contract). */
export async function planCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseCommand({ name: "plan", usage: PLAN_USAGE, options: OPTIONS }, argv, io);
  if (typeof parsed === "number") return parsed;
  let env, format;
  try {
    env = oneOf("--env", parsed.values.env, TARGET_ENVIRONMENTS);
    format = parsePlanFormat(parsed.values.format);
  } catch (err) {
    io.stderr(`dpra plan: ${errorMessage(err)}\n\n${PLAN_USAGE}\n`);
    return EXIT.usage;
  }
  try {
    const source = parsed.values.source === undefined ? io.cwd : await requireDirectory("--source", parsed.values.source, io.cwd);
    const config = await loadHostConfig(source, io);
    await assertContract(config, contractEnvironments(env), hostContractSource(source));
    io.stdout(renderPlan(buildRunPlan(config, env), format));
    return EXIT.ok;
  } catch (err) {
    return commandFailure("plan", err, io);
  }
}

/** The `plan` subcommand, for the CLI dispatcher's command list. */
export const planCliCommand: CliCommand = {
  name: "plan",
  summary: "print the DPRA run plan (text, Mermaid or Graphviz) of the application",
  run: (args, io) => planCommand(args, io),
};
