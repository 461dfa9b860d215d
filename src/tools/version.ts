// Reads the version a tool binary prints, so the installer, `dpra scan` and the real-tool tests
// compare it with the catalog's pin in one way.
import { spawn } from "node:child_process";
import type { ToolPin } from "./catalog.js";

/** The first `x.y.z` in what `bin <versionArgs>` prints on stdout and stderr, or undefined. */
export async function readToolVersion(bin: string, pin: Pick<ToolPin, "versionArgs" | "runEnv" | "versionPattern">, timeoutMs = 60_000): Promise<string | undefined> {
  const printed = await new Promise<string>((resolve) => {
    let out = "";
    const child = spawn(bin, [...pin.versionArgs], { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs, env: { ...process.env, ...pin.runEnv } });
    child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.on("error", () => resolve(""));
    child.on("close", () => resolve(out));
  });
  return versionIn(printed, pin.versionPattern);
}

/**
 * The version in a tool's banner: the pattern's first capture group where the tool prints other
 * versions first (Flyway, Liquibase), else the first dotted `major.minor.patch`.
 */
export function versionIn(printed: string, pattern?: RegExp): string | undefined {
  if (pattern) return pattern.exec(printed)?.[1];
  return /\d+\.\d+\.\d+/.exec(printed)?.[0];
}
