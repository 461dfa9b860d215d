/** Thrown when a report cannot be read or does not have the shape its format requires. */
export class ReportError extends Error {
  constructor(
    /** The report file (or `<input>` when parsed from a string without a name). */
    readonly file: string,
    /** Where it failed: a JSON path such as `Results[0].Vulnerabilities[3].Severity`, or `line 4, column 7`. */
    readonly at: string,
    readonly problem: string,
  ) {
    super(`${file}: ${at ? `at ${at}: ` : ""}${problem}`);
    this.name = "ReportError";
  }
}

export function fileLabel(file: string | undefined): string {
  return file ?? "<input>";
}

/** Line and column (1-based) of a character offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

/** Formats a JSON path as `Results[0].Vulnerabilities[3].Severity`, after an optional prefix. */
export function formatJsonPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(root)" : out;
}
