// Normalises a TypeScript type check (`tsc --noEmit`) to findings. tsc has no JSON output; its
// diagnostics are one per line, in the plain (`--pretty false`) or the pretty form.
import { createHash } from "node:crypto";
import { lastLines } from "../../tools/output.js";
import type { Finding, FindingSet } from "../../findings/model.js";

// plain:  src/a.ts(12,5): error TS2322: Type 'string' is not assignable to type 'number'.
const PLAIN = /^(?<path>[^\s(][^(]*)\((?<line>\d+),(?<col>\d+)\): (?<level>error|warning) (?<code>TS\d+): (?<message>.*)$/;
// pretty: src/a.ts:12:5 - error TS2322: Type 'string' is not assignable to type 'number'.
const PRETTY = /^(?<path>[^\s:][^:]*):(?<line>\d+):(?<col>\d+) - (?<level>error|warning) (?<code>TS\d+): (?<message>.*)$/;
// no location (config problems): error TS5083: Cannot read file 'tsconfig.base.json'.
const GLOBAL = /^(?<level>error|warning) (?<code>TS\d+): (?<message>.*)$/;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

function fingerprint(...parts: Array<string | number | undefined>): string {
  return createHash("sha256")
    .update(parts.map((p) => String(p ?? "")).join("\u0000"))
    .digest("hex")
    .slice(0, 32);
}

/**
 * Findings from tsc output (stdout and stderr concatenated). An exit code other than 0 with no
 * diagnostic that could be read becomes one finding carrying the output's last lines, so that a
 * failed type check never passes silently.
 */
export function typecheckFindings(output: string, exitCode: number, command: string): FindingSet {
  const findings: Finding[] = [];
  for (const raw of output.replace(ANSI, "").split(/\r?\n/)) {
    const line = raw.trimEnd();
    const m = PLAIN.exec(line) ?? PRETTY.exec(line) ?? GLOBAL.exec(line);
    if (!m?.groups) continue;
    const g = m.groups as Record<string, string | undefined>;
    const path = g.path?.trim().replace(/\\/g, "/").replace(/^\.\//, "");
    const startLine = g.line ? Number(g.line) : undefined;
    const message = g.message ?? "";
    findings.push({
      tool: "tsc",
      category: "quality",
      rule: g.code ?? "TS",
      severity: g.level === "warning" ? "medium" : "high",
      message,
      location: { path, startLine },
      // The message is part of the identity: the same code on the same line can mean different problems.
      fingerprint: fingerprint("tsc", g.code, path, startLine, message),
    });
  }
  if (exitCode !== 0 && findings.length === 0) {
    const tail = lastLines(output);
    findings.push({
      tool: "tsc",
      category: "quality",
      rule: "typecheck-failed",
      severity: "high",
      message: `\`${command}\` exited ${exitCode} without a diagnostic dpra could read${tail ? `:\n${tail}` : ""}`,
      location: {},
      fingerprint: fingerprint("tsc", "typecheck-failed", command),
    });
  }
  return { tool: "tsc", format: "tsc-text", findings, toolErrors: [] };
}
