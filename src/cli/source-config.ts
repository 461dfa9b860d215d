// The application folder's dpra.yaml, read on the host the way the Dagger functions read it from a
// Directory: the same resolveConfig, the same listing shape (sub-folders end with `/`).
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { CONFIG_FILE, resolveConfig } from "../config/load.js";
import type { DpraConfig } from "../config/schema.js";
import { readInput } from "./input.js";
import { UsageError, type CliIO } from "./io.js";

/** Lists a directory the way Dagger's `Directory.entries()` does: sub-directories end with `/`. */
export function listing(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
}

/** Reads and resolves `<source>/dpra.yaml` (defaults and detection when there is none); throws ConfigError when invalid. */
export async function loadHostConfig(source: string, io: Pick<CliIO, "cwd"> & Partial<Pick<CliIO, "stdin">>): Promise<DpraConfig> {
  const file = path.join(source, CONFIG_FILE);
  const noStdin = async (): Promise<Buffer> => {
    throw new UsageError("dpra.yaml is read from the source folder, not from standard input");
  };
  const text = existsSync(file) ? (await readInput(file, { cwd: io.cwd, stdin: io.stdin ?? noStdin }, "config file")).text : undefined;
  return resolveConfig(text, listing(source), file);
}
