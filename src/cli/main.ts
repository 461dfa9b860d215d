import { EXIT, EXIT_CODES_HELP, type CliCommand, type CliIO } from "./io.js";
import { readProcessStdin } from "./input.js";
import { cliVersion } from "./version.js";

/**
 * A command whose module is imported only when it runs: `dpra --help` and each command load
 * only what they need (the gate never loads the AWS SDK, `--help` not even zod).
 */
function lazy(name: string, summary: string, load: () => Promise<CliCommand>): CliCommand {
  return { name, summary, run: async (args, io) => (await load()).run(args, io) };
}

/** Subcommands by name. Add a command by adding its module here; nothing runs at import time. */
export const COMMANDS: readonly CliCommand[] = [
  lazy("gate", "apply the dpra.yaml policy to scanner, linter and test reports", async () => (await import("./gate.js")).gateCommand),
  lazy("scan", "run the build stage's scanners on this host (no container engine) and apply the policy", async () => (await import("./commands/scan.js")).scanCommand),
  lazy("plan", "print the DPRA run plan (text, Mermaid or Graphviz) of the application", async () => (await import("./commands/plan.js")).planCliCommand),
  lazy("diff", "show an AWS environment's change sets without executing them", async () => (await import("./commands/deploy.js")).diffCliCommand),
  lazy("deploy", "deploy an AWS environment's CloudFormation stack without an engine", async () => (await import("./commands/deploy.js")).deployCliCommand),
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: dpra <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Options:
  -h, --help     show this help
      --version  print the version of dpra

Run "dpra <command> --help" for a command's options.

${EXIT_CODES_HELP}`;
}

function defaultIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    now: () => new Date(),
    stdin: readProcessStdin,
  };
}

/** Runs the CLI and resolves to the exit code; `bin/dpra.mjs` sets it on the process. */
export async function main(argv: string[], io: Partial<CliIO> = {}): Promise<number> {
  const full: CliIO = { ...defaultIO(), ...io };
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    full[name === undefined ? "stderr" : "stdout"](`${usage()}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "version") {
    full.stdout(`${cliVersion()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    full.stderr(`dpra: unknown command "${name}"\n\n${usage()}\n`);
    return EXIT.usage;
  }
  return command.run(rest, full);
}
