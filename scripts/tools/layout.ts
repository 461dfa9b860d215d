// Where `npm run tools:install` puts things, and how it runs an installer's commands: one log file
// per tool under .tools/logs, so a failure shows its tail and a success prints nothing.
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface ToolsLayout {
  /** `.tools/` at the repository root (git-ignored). */
  root: string;
  /** `.tools/bin`: one executable or link per tool, what `dpra scan` and the real-tool tests run. */
  bin: string;
  /** `.tools/markers/<tool>.json`: what was installed, so a second run does nothing. */
  markers: string;
  logs: string;
}

export function toolsLayout(root: string): ToolsLayout {
  const layout = { root, bin: path.join(root, "bin"), markers: path.join(root, "markers"), logs: path.join(root, "logs") };
  for (const dir of [layout.bin, layout.markers, layout.logs]) mkdirSync(dir, { recursive: true });
  return layout;
}

export class InstallError extends Error {}

/** Runs a command with its output in the tool's log; rejects with the log's last lines on failure. */
export async function runLogged(layout: ToolsLayout, tool: string, cmd: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  const logFile = path.join(layout.logs, `${tool}.log`);
  const log = createWriteStream(logFile, { flags: "a" });
  log.write(`$ ${cmd} ${args.join(" ")}\n`);
  const code = await new Promise<number | string>((resolve) => {
    const child = spawn(cmd, [...args], { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on("error", (err) => resolve(err.message));
    child.on("close", (c, signal) => resolve(c ?? `signal ${signal}`));
  });
  await new Promise<void>((resolve) => log.end(resolve));
  if (code !== 0) {
    const tail = readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-8).join("\n  ");
    throw new InstallError(`${cmd} ${args.slice(0, 2).join(" ")} failed (${code}); the end of ${path.relative(process.cwd(), logFile)}:\n  ${tail}`);
  }
}

/** True when `cmd args` runs and exits 0: is this registry's client on the machine? */
export async function clientAvailable(cmd: string, args: readonly string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(cmd, [...args], { stdio: "ignore" });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
  });
}
