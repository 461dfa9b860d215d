// Runs one tool process on the host: argv without a shell, output captured, wall time measured.
import { spawn } from "node:child_process";
import { setPriority } from "node:os";

export interface ProcessResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Wall time in milliseconds. */
  ms: number;
}

/**
 * Runs `bin args...` in `cwd` with `env` over `baseEnv` (this process's environment unless given);
 * a process that cannot start resolves with exit code 127 and the reason in stderr. `niceness` lowers
 * its scheduling priority (as `nice -n`); where the OS refuses, it runs at the normal priority.
 */
export function runProcess(
  bin: string,
  args: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string>>,
  baseEnv: NodeJS.ProcessEnv = process.env,
  niceness = 0,
): Promise<ProcessResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    const child = spawn(bin, [...args], { cwd, env: { ...baseEnv, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    if (niceness > 0 && child.pid !== undefined) {
      try {
        setPriority(child.pid, niceness);
      } catch {
        // Only a scheduling hint: the scan is the same without it.
      }
    }
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", (err) => resolve({ exitCode: 127, stdout, stderr: `${stderr}${err.message}`, ms: performance.now() - started }));
    child.on("close", (code, signal) => resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr, ms: performance.now() - started }));
  });
}
