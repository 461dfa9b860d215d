// Runs the engine-free CLI in-process, as bin/dpra.mjs does, capturing its output and exit code.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { main } from "../../src/cli/main.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A fresh empty folder to run the CLI in. */
export const cliTmp = (): string => mkdtempSync(path.join(os.tmpdir(), "dpra-cli-"));

/** `dpra <args>` in `cwd` (default: a fresh folder), with a fixed date and the given standard input. */
export async function runCli(args: string[], cwd: string = cliTmp(), stdin?: Buffer | string): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd,
    now: () => new Date("2026-06-15T00:00:00Z"),
    stdin: async () => (stdin === undefined ? Buffer.alloc(0) : Buffer.from(stdin)),
  });
  return { code, stdout, stderr };
}
