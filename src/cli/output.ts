import { appendFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "./io.js";
import { errorMessage } from "../errors.js";

/**
 * Writes (or appends to) an output file named by a flag, creating missing parent folders the same
 * way for every flag. A failure names the flag and the file instead of a stack trace.
 */
export async function writeOutput(flag: string, file: string, cwd: string, text: string, mode: "write" | "append" = "write"): Promise<string> {
  const full = path.resolve(cwd, file);
  try {
    await mkdir(path.dirname(full), { recursive: true });
    await (mode === "append" ? appendFile(full, text) : writeFile(full, text));
  } catch (err) {
    throw new UsageError(`${flag} ${file}: cannot write the file: ${errorMessage(err)}`);
  }
  return full;
}
