import { createReadStream } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import { ReportError, fileLabel } from "./errors.js";
import type { Category, FindingSet, ToolName } from "./model.js";
import { parseJsonText } from "./json.js";
import { isGitleaksV7, isGitleaksV8, parseGitleaksJson } from "./gitleaks.js";
import { isSemgrepJson, parseSemgrepJson } from "./semgrep.js";
import { isTrivyJson, parseTrivyJson } from "./trivy.js";
import { parseTrivyStream } from "./trivy-stream.js";
import { isSarif, parseSarif } from "./sarif.js";
import { isCycloneDx, parseCycloneDx } from "./cyclonedx.js";
import { isEslintJson, parseEslintJson } from "./eslint.js";
import { isCfnLintJson, parseCfnLintJson } from "./cfn-lint.js";
import { parseJUnitReport } from "./junit.js";
import { isDpraReport, parseDpraReport } from "./dpra-report.js";
import { errorMessage } from "../errors.js";

export interface ParseHint {
  /** File name, for error messages and for guessing the tool of an empty `[]` report. */
  file?: string;
  /** The tool that wrote the report, when the caller knows it. */
  tool?: ToolName;
  /**
   * Forces a format instead of detecting it from the content: `gitleaks-json`, `semgrep-json`,
   * `trivy-json`, `cyclonedx`, `eslint-json`, `cfn-lint-json`, `junit`, `dpra-json`, or any `*sarif*`.
   */
  format?: string;
  /** Scanned root, cut off absolute paths (ESLint, SARIF) so fingerprints do not depend on the machine. */
  root?: string;
  /** Category for SARIF results of an unknown tool (default: `sast` when tagged security, else `quality`). */
  category?: Category;
  /** The rules a semgrep run was given (e.g. "security.semgrep.rules [semgrep/]"), named in a zero-rules finding. */
  sastConfig?: string;
  /** `auto` (default) streams trivy JSON reports larger than STREAM_THRESHOLD_BYTES. */
  stream?: "auto" | "always" | "never";
}

/** Trivy JSON reports from this size on are streamed instead of read whole. */
export const STREAM_THRESHOLD_BYTES = 8 * 1024 * 1024;

/** Tools the parser knows by name: the values `dpra gate --tool` accepts. */
export const REPORT_TOOLS = ["gitleaks", "semgrep", "trivy", "eslint", "cfn-lint", "junit"] as const;

export const SUPPORTED_FORMATS =
  "gitleaks JSON (v7 and v8) or SARIF, semgrep JSON or SARIF, trivy JSON, SARIF or CycloneDX, generic SARIF 2.1.0, ESLint JSON, cfn-lint JSON, JUnit XML, dpra gate JSON";

function guessToolFromName(file: string | undefined): ToolName | undefined {
  const name = (file ?? "").toLowerCase();
  for (const tool of ["gitleaks", "semgrep", "trivy", "eslint", "cfn-lint"] as const) if (name.includes(tool)) return tool;
  return undefined;
}

function emptySet(tool: ToolName, format: string): FindingSet {
  return { tool, format, findings: [], toolErrors: [] };
}

function byFormat(format: string, value: unknown, file: string, hint: ParseHint): FindingSet {
  const f = format.toLowerCase();
  if (f.includes("sarif")) return parseSarif(value, file, hint);
  switch (f) {
    case "gitleaks-json":
    case "gitleaks":
      return Array.isArray(value) && value.length === 0 ? emptySet("gitleaks", "gitleaks-json") : parseGitleaksJson(value, file);
    case "semgrep-json":
    case "semgrep":
      return parseSemgrepJson(value, file, hint.sastConfig);
    case "trivy-json":
    case "trivy":
      return parseTrivyJson(value, file);
    case "cyclonedx":
    case "cyclonedx-json":
      return parseCycloneDx(value, file);
    case "eslint-json":
    case "eslint":
      return Array.isArray(value) && value.length === 0 ? emptySet("eslint", "eslint-json") : parseEslintJson(value, file, hint.root);
    case "cfn-lint-json":
    case "cfn-lint":
      return Array.isArray(value) && value.length === 0 ? emptySet("cfn-lint", "cfn-lint-json") : parseCfnLintJson(value, file, hint.root);
    case "dpra-json":
      return parseDpraReport(value, file);
    default:
      throw new ReportError(file, "", `unknown report format "${format}"; supported: ${SUPPORTED_FORMATS}`);
  }
}

/**
 * Parses one report, detecting the tool and format from its content (a `format` hint forces one).
 * Throws a ReportError naming the file and where it failed when the content is malformed.
 */
export function parseReport(content: string, hint: ParseHint = {}): FindingSet {
  const set = detectAndParse(content, hint);
  return hint.file ? { ...set, source: hint.file } : set;
}

function detectAndParse(content: string, hint: ParseHint): FindingSet {
  const file = fileLabel(hint.file);
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const trimmed = text.trimStart();
  if (trimmed === "") {
    // gitleaks can leave an empty report when it finds nothing.
    if (hint.tool === "gitleaks" || guessToolFromName(hint.file) === "gitleaks") return emptySet("gitleaks", "gitleaks-json");
    throw new ReportError(file, "", "the report is empty; did the tool fail before writing it?");
  }
  if (hint.format?.toLowerCase() === "junit" || (hint.format === undefined && trimmed.startsWith("<"))) return parseJUnitReport(text, hint.file);
  const value = parseJsonText(text, file);
  if (hint.format) return byFormat(hint.format, value, file, hint);
  if (Array.isArray(value)) {
    if (value.length === 0) {
      const tool = hint.tool ?? guessToolFromName(hint.file) ?? "gitleaks";
      return emptySet(tool, ["eslint", "gitleaks", "cfn-lint"].includes(tool) ? `${tool}-json` : "json");
    }
    if (isGitleaksV8(value) || isGitleaksV7(value)) return parseGitleaksJson(value, file);
    if (isEslintJson(value)) return parseEslintJson(value, file, hint.root);
    if (isCfnLintJson(value)) return parseCfnLintJson(value, file, hint.root);
    throw new ReportError(file, "[0]", `unrecognised report: a JSON array that is not gitleaks, ESLint or cfn-lint output; supported: ${SUPPORTED_FORMATS}`);
  }
  if (isSarif(value)) return parseSarif(value, file, hint);
  if (isDpraReport(value)) return parseDpraReport(value, file);
  if (isTrivyJson(value)) return parseTrivyJson(value, file);
  if (isCycloneDx(value)) return parseCycloneDx(value, file);
  if (isSemgrepJson(value)) return parseSemgrepJson(value, file, hint.sastConfig);
  throw new ReportError(file, "(root)", `unrecognised report format; supported: ${SUPPORTED_FORMATS}`);
}

async function looksLikeTrivyJson(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const head = buffer.subarray(0, bytesRead).toString("utf8");
    return /^\s*\{/.test(head) && head.includes('"SchemaVersion"') && !head.includes('"bomFormat"');
  } finally {
    await handle.close();
  }
}

/**
 * Reads and parses a report file. A missing file is an error naming it, except for gitleaks (hint
 * `tool: "gitleaks"`), which writes no report in some modes when it finds nothing: then the set is empty.
 * Trivy JSON reports above STREAM_THRESHOLD_BYTES are streamed.
 */
export async function parseReportFile(path: string, hint: ParseHint = {}): Promise<FindingSet> {
  const file = hint.file ?? path;
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      if (hint.tool === "gitleaks") return { ...emptySet("gitleaks", "gitleaks-json"), source: file };
      throw new ReportError(file, "", "the report file does not exist; check the path and that the tool ran and wrote it");
    }
    throw new ReportError(file, "", `cannot read the report file: ${errorMessage(err)}`);
  }
  const mode = hint.stream ?? "auto";
  const trivyFormat = hint.format === undefined || hint.format === "trivy-json" || hint.format === "trivy";
  if (trivyFormat && mode !== "never" && (mode === "always" || size >= STREAM_THRESHOLD_BYTES) && (hint.format !== undefined || (await looksLikeTrivyJson(path)))) {
    return { ...(await parseTrivyStream(createReadStream(path, { highWaterMark: 1024 * 1024 }), file)), source: file };
  }
  let content: string;
  try {
    content = await readFile(path, "utf8");
  } catch (err) {
    throw new ReportError(file, "", `cannot read the report file: ${errorMessage(err)}`);
  }
  return parseReport(content, { ...hint, file });
}
