// The pieces every `dpra` command shares. A new command (src/cli/commands/<name>.ts) should:
// - parse its arguments with `parseCommand` (src/cli/args.ts: node:util parseArgs, --help, usage errors);
// - end its usage text with EXIT_CODES_HELP and return only EXIT codes;
// - read reports and config files with `readInput`/`readTextFile` (src/cli/input.ts: `-` is stdin,
//   binary, NUL-filled and UTF-16 input is named as such) and check folders with `requireDirectory`;
// - write every output file with `writeOutput` (src/cli/output.ts: creates missing folders);
// - throw UsageError (or ConfigError/ReportError) for unusable input: `failure` turns them into exit 2.

/** What a CLI command may touch, injected so that tests run commands in-process. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Directory relative paths resolve against. */
  cwd: string;
  /** Today, for allowlist expiry. */
  now: () => Date;
  /** The whole standard input, for `-` arguments. Read at most once per run. */
  stdin: () => Promise<Buffer>;
}

export interface CliCommand {
  name: string;
  /** One line for `dpra --help`. */
  summary: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: string[], io: CliIO): Promise<number>;
}

/** Exit codes shared by all commands. */
export const EXIT = { ok: 0, blocked: 1, usage: 2 } as const;

/** The exit-code table, the same in every command's --help and in the README. */
export const EXIT_CODES_HELP = `Exit codes (every command):
  0  success: the gate passed, the plan was printed
  1  blocking findings or a failed step
  2  unusable input: bad usage, a missing or unreadable file or folder, an invalid dpra.yaml or report`;

/** Bad usage or unusable input that the user can fix; commands exit 2 with its message. */
export class UsageError extends Error {
  override name = "UsageError";
}
