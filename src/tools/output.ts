// The end of a tool's output, quoted in failure messages: the last lines say why a command failed.

/** The last `n` lines of a command's output. */
export function lastLines(text: string, n = 5): string {
  return text.trim().split(/\r?\n/).slice(-n).join("\n");
}

/** The last lines on one line, bounded: for an outcome field or a one-line error. */
export function lastLinesInline(text: string, maxChars = 600): string {
  return lastLines(text).split("\n").join(" ").slice(-maxChars);
}
