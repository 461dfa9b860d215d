// Reads the version a tool binary prints, so the installer, `dpra scan` and the real-tool tests
// compare it with the catalog's pin in one way.
import { spawn } from "node:child_process";
import type { ToolPin } from "./catalog.js";

/** The first `x.y.z` in what `bin <versionArgs>` prints on stdout and stderr, or undefined. */
export async function readToolVersion(bin: string, pin: Pick<ToolPin, "versionArgs" | "runEnv">, timeoutMs = 60_000): Promise<string | undefined> {
  const printed = await new Promise<string>((resolve) => {
    let out = "";
    const child = spawn(bin, [...pin.versionArgs], { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs, env: { ...process.env, ...pin.runEnv } });
    child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.on("error", () => resolve(""));
    child.on("close", () => resolve(out));
  });
  return versionIn(printed);
}

/** The first dotted `major.minor.patch` in a tool's version banner. */
export function versionIn(printed: string): string | undefined {
  return /\d+\.\d+\.\d+/.exec(printed)?.[0];
}
