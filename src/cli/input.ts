import { open, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { UsageError, type CliIO } from "./io.js";
import { errorMessage } from "../errors.js";

/** Bytes looked at to tell text from binary before a report is parsed (or streamed). */
const SNIFF_BYTES = 8192;

/**
 * Why these bytes are not UTF-8 text, or undefined when they are. Names what the file is: UTF-16
 * or UTF-32 (with or without a byte-order mark), filled with NUL bytes, or binary.
 */
export function encodingProblem(bytes: Uint8Array, complete: boolean): string | undefined {
  if (bytes.length === 0) return undefined;
  const b = bytes;
  if (b[0] === 0xff && b[1] === 0xfe) return b[2] === 0 && b[3] === 0 ? "UTF-32 text (byte-order mark FF FE 00 00)" : "UTF-16 text (little-endian byte-order mark FF FE)";
  if (b[0] === 0xfe && b[1] === 0xff) return "UTF-16 text (big-endian byte-order mark FE FF)";
  let nul = 0;
  let nulEven = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0) {
      nul++;
      if (i % 2 === 0) nulEven++;
    }
  }
  if (nul === b.length) return "filled with NUL bytes (a file that was allocated but never written?)";
  if (nul > 0) {
    // ASCII in UTF-16 puts a NUL in every other byte: odd positions for little-endian, even for big-endian.
    const half = b.length / 2;
    if (nul >= half * 0.8 && (nulEven >= nul * 0.95 || nulEven <= nul * 0.05)) return `UTF-16 text without a byte-order mark (${nulEven > nul / 2 ? "big" : "little"}-endian)`;
    return `binary data (${nul} NUL byte${nul === 1 ? "" : "s"} in the first ${b.length} bytes)`;
  }
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(b, { stream: !complete });
  } catch {
    return "binary data or text that is not UTF-8";
  }
  return undefined;
}

function notText(label: string, problem: string): UsageError {
  return new UsageError(`${label}: not UTF-8 text but ${problem}; give the tool's text report (JSON, SARIF, XML or YAML), saved as UTF-8`);
}

/** Decodes a whole input as UTF-8 text, refusing binary, NUL-filled and UTF-16 data by name. */
export function decodeText(bytes: Uint8Array, label: string): string {
  const problem = encodingProblem(bytes, true);
  if (problem) throw notText(label, problem);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

/**
 * Checks the start of a file that will be read elsewhere (e.g. streamed): throws when it is not
 * UTF-8 text. A missing file passes: the reader names it in its own words.
 */
export async function checkTextFile(file: string, label: string): Promise<void> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch {
    return;
  }
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
    const size = (await handle.stat()).size;
    const problem = encodingProblem(buffer.subarray(0, bytesRead), bytesRead >= size);
    if (problem) throw notText(label, problem);
  } finally {
    await handle.close();
  }
}

/** `-` as a file argument: the standard input. */
export const STDIN = "-";

/**
 * Reads a text input given on the command line: a file relative to io.cwd, or `-` for the standard
 * input. Errors name the argument and say what to do; the text is checked to be UTF-8.
 */
export async function readInput(arg: string, io: Pick<CliIO, "cwd" | "stdin">, what = "file"): Promise<{ text: string; label: string }> {
  if (arg === STDIN) return { text: decodeText(await io.stdin(), "(stdin)"), label: "(stdin)" };
  let bytes: Buffer;
  try {
    bytes = await readFile(path.resolve(io.cwd, arg));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UsageError(`${arg}: the ${what} does not exist; check the path`);
    if (code === "EISDIR") throw new UsageError(`${arg}: is a folder, not a ${what}`);
    throw new UsageError(`${arg}: cannot read the ${what}: ${errorMessage(err)}`);
  }
  return { text: decodeText(bytes, arg), label: arg };
}

/** Resolves a folder argument (e.g. --source) and throws, naming it, when it is missing or not a folder. */
export async function requireDirectory(flag: string, dir: string, cwd: string): Promise<string> {
  const full = path.resolve(cwd, dir);
  let isDir: boolean;
  try {
    isDir = (await stat(full)).isDirectory();
  } catch {
    throw new UsageError(`${flag} ${dir}: the folder does not exist${full !== dir ? ` (${full})` : ""}; pass an existing folder`);
  }
  if (!isDir) throw new UsageError(`${flag} ${dir}: is a file, not a folder`);
  return full;
}

/** Reads all of process.stdin (the default CliIO.stdin). */
export async function readProcessStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
