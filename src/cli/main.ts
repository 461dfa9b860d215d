import { planCliCommand } from "./commands/plan.js";
import { gateCommand } from "./gate.js";
import { EXIT, type CliCommand, type CliIO } from "./io.js";

/** Subcommands by name. Add a command by adding its module here; nothing runs at import time. */
export const COMMANDS: readonly CliCommand[] = [gateCommand, planCliCommand];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: dpra <command> [options]\n\nCommands:\n${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}\n\nRun "dpra <command> --help" for a command's options.`;
}

function defaultIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    now: () => new Date(),
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
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    full.stderr(`dpra: unknown command "${name}"\n\n${usage()}\n`);
    return EXIT.usage;
  }
  return command.run(rest, full);
}
