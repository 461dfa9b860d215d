/** What a CLI command may touch, injected so that tests run commands in-process. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Directory relative paths resolve against. */
  cwd: string;
  /** Today, for allowlist expiry. */
  now: () => Date;
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
