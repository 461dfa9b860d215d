// Finds a catalog tool on this host for `dpra scan`: `<tools dir>/bin` (npm run tools:install) first,
// then PATH, and reads the version it prints so that a difference from the pin is reported.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { TOOLS, type ToolName, type ToolPin } from "./catalog.js";
import { verifiedVersion } from "./install-marker.js";
import { readToolVersion } from "./version.js";

export interface HostTool {
  name: ToolName;
  /** Absolute path of the binary. */
  bin: string;
  pinned: string;
  /** What the binary prints as its version (undefined when it printed none). */
  version: string | undefined;
  /** Environment the tool needs on every run (the catalog's runEnv). */
  env: Readonly<Record<string, string>>;
}

export interface HostLookup {
  /** Folder whose `bin/` is searched first (default `.tools` of the current directory's project). */
  toolsDir?: string;
  /** The PATH to search after it (default process.env.PATH); "" searches only the tools folder. */
  path?: string;
}

/** The install hint every "missing tool" message ends with. */
export const INSTALL_HINT = "npm run tools:install";

function executable(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The directories searched, in order. */
export function searchDirs(lookup: HostLookup): string[] {
  const dirs = lookup.toolsDir === undefined ? [] : [path.join(lookup.toolsDir, "bin")];
  const pathVar = lookup.path ?? process.env.PATH ?? "";
  return [...dirs, ...pathVar.split(path.delimiter).filter((d) => d !== "")];
}

/** The tool's binary on this host, or undefined. */
export function findBinary(name: ToolName, lookup: HostLookup): string | undefined {
  for (const dir of searchDirs(lookup)) {
    const candidate = path.resolve(dir, TOOLS[name].name);
    if (existsSync(candidate) && executable(candidate)) return candidate;
  }
  return undefined;
}

/** Resolves a catalog tool on the host and reads its version; undefined when it is not installed. */
export async function resolveHostTool(name: ToolName, lookup: HostLookup): Promise<HostTool | undefined> {
  const bin = findBinary(name, lookup);
  return bin ? hostToolAt(name, bin) : undefined;
}

/**
 * The tool at a binary already found, with its version: the one `tools:install` verified for this
 * very file (its marker), else what the binary prints.
 */
export async function hostToolAt(name: ToolName, bin: string): Promise<HostTool> {
  return hostTool(name, bin, verifiedVersion(name, bin) ?? (await readToolVersion(bin, TOOLS[name])));
}

/** The tool at a binary whose version is known (from `--version`, or stated in its report). */
export function hostTool(name: ToolName, bin: string, version: string | undefined): HostTool {
  const pin: ToolPin = TOOLS[name];
  return { name, bin, pinned: pin.version, version, env: pin.runEnv ?? {} };
}

/** The message for a tool that is not installed: the tool, its pinned version, and how to install it. */
export function missingToolMessage(name: ToolName, lookup: HostLookup): string {
  return `${name} ${TOOLS[name].version} is not installed (searched ${searchDirs(lookup).join(", ") || "nothing"}); install the pinned tools with "${INSTALL_HINT}", or skip it with --skip ${name}`;
}
