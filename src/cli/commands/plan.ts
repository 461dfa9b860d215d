// `npx dpra plan`: prints the run plan of the application in the current (or given) directory.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { CONFIG_FILE, resolveConfig } from "../../config/load.js";
import { buildRunPlan, TARGET_ENVIRONMENTS, type TargetEnvironment } from "../../pipeline/plan.js";
import { parsePlanFormat, renderPlan, type PlanFormat } from "../../pipeline/render.js";
import type { CliCommand, CliIO } from "../io.js";

/** What `plan` needs of the CLI's IO: where to write and the directory it runs in. */
export type CommandIo = Pick<CliIO, "stdout" | "stderr" | "cwd">;

export const PLAN_USAGE = `Usage: dpra plan [--env beta|gamma|prod] [--format text|mermaid|dot] [--source <dir>]

Prints the DPRA run plan of the application: every stage and action, required or recommended,
what runs, in which order, and which actions are not configured in dpra.yaml.

  --env      target environment of the release (default: beta)
  --format   text (default), mermaid, or dot (Graphviz)
  --source   application directory holding dpra.yaml (default: the current directory)
`;

interface PlanArgs {
  env: TargetEnvironment;
  format: PlanFormat;
  source: string;
  help: boolean;
}

function parseArgs(argv: readonly string[], cwd: string): PlanArgs {
  const args: PlanArgs = { env: "beta", format: "text", source: cwd, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--env": {
        const env = value();
        if (!(TARGET_ENVIRONMENTS as readonly string[]).includes(env)) throw new UsageError(`--env must be one of ${TARGET_ENVIRONMENTS.join(", ")}, not "${env}"`);
        args.env = env as TargetEnvironment;
        break;
      }
      case "--format":
        try {
          args.format = parsePlanFormat(value());
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
        break;
      case "--source":
        args.source = path.resolve(cwd, value());
        break;
      case "-h":
      case "--help":
        args.help = true;
        break;
      default:
        throw new UsageError(`unknown argument "${arg}"`);
    }
  }
  return args;
}

class UsageError extends Error {}

/** Lists a directory the way Dagger's `Directory.entries()` does: sub-directories end with `/`. */
function listing(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
}

/** Runs `dpra plan`; returns the process exit code (0 ok, 1 invalid config, 2 bad usage). */
export function planCommand(argv: readonly string[], io: CommandIo): number {
  let args: PlanArgs;
  try {
    args = parseArgs(argv, io.cwd);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`dpra plan: ${err.message}\n\n${PLAN_USAGE}`);
    return 2;
  }
  if (args.help) {
    io.stdout(PLAN_USAGE);
    return 0;
  }
  if (!existsSync(args.source)) {
    io.stderr(`dpra plan: source directory ${args.source} does not exist; pass --source <dir>\n`);
    return 2;
  }
  try {
    const file = path.join(args.source, CONFIG_FILE);
    const text = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    const config = resolveConfig(text, listing(args.source), file);
    io.stdout(renderPlan(buildRunPlan(config, args.env), args.format));
    return 0;
  } catch (err) {
    io.stderr(`dpra plan: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/** The `plan` subcommand, for the CLI dispatcher's command list. */
export const planCliCommand: CliCommand = {
  name: "plan",
  summary: "Print the DPRA run plan (text, Mermaid or Graphviz) of the application",
  run: async (args, io) => planCommand(args, io),
};
