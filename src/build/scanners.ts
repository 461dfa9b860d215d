// The build stage's scanners, run from the tool modules' own recipes (imported by relative path, so
// each recipe exists once) and normalised to findings. A scanner that exits non-zero with a report is
// a result; a scanner that leaves no readable report is a failure the build reports.
import { dag, ReturnType, type Container, type Directory, type File } from "@dagger.io/dagger";
import { gitleaksContainer, gitleaksReportPath, gitleaksScan } from "../../modules/gitleaks/src/gitleaks.js";
import { SEMGREP_JSON_REPORT, semgrepContainer, semgrepScan } from "../../modules/semgrep/src/semgrep.js";
import {
  TRIVY_JSON_REPORT,
  TRIVY_SBOM_REPORT,
  trivyContainer,
  trivyFsScan,
  trivyImageSbom,
  trivyImageScan,
  trivySourceSbom,
} from "../../modules/trivy/src/trivy.js";
import type { DpraConfig } from "../config/schema.js";
import type { Category, FindingSet, ToolName } from "../findings/model.js";
import { parseReport } from "../findings/parse.js";
import { toolFailureSet } from "../findings/tool-failure.js";
import { CFN_LINT_PYTHON_IMAGE, CFN_LINT_VERSION } from "./images.js";

/** What one action produced: finding sets, what did not complete, and raw reports to keep. */
export interface ActionOutcome {
  action: string;
  sets: FindingSet[];
  /** A build step broke (install, compile, package, SBOM, an engine error): the stage fails, whatever the policy says. */
  failures: string[];
  /**
   * A scanner did not complete its scan. Each one also has a tool-failure finding set in `sets`, a
   * critical finding in the tool's category, so the policy blocks on it (and an allowlist entry with
   * a reason and an expiry can accept it, like any finding).
   */
  incomplete: string[];
  /** Raw reports, kept under `raw/` in the reports directory. */
  files: Array<{ name: string; file: File }>;
}

export function emptyOutcome(action: string): ActionOutcome {
  return { action, sets: [], failures: [], incomplete: [], files: [] };
}

/** Records a scan that did not complete: a message for the summary and a blocking tool-failure finding set. */
export function scanIncomplete(outcome: ActionOutcome, tool: ToolName, category: Category, detail: string): void {
  outcome.incomplete.push(`${outcome.action}: ${detail}`);
  outcome.sets.push(toolFailureSet(tool, category, detail));
}

interface ReadSpec {
  action: string;
  tool: ToolName;
  /** Report format for the parser (`gitleaks-json`, `semgrep-json`, `trivy-json`, `sarif`, ...). */
  format: string;
  path: string;
  /** File name under `raw/`. */
  name: string;
  /** The category of the tool's findings here; a scan that did not complete blocks in it. */
  category: Category;
  /** Whether an exit code means "the scan completed"; otherwise it is a failure even with a report. Default: any, given a report. */
  completed?: (exitCode: number) => boolean;
  /** A missing report with exit code 0 means "nothing found" (older gitleaks writes none then). */
  missingMeansEmpty?: boolean;
}

function lastLines(text: string, n = 5): string {
  return text.trim().split(/\r?\n/).slice(-n).join("\n");
}

/** Reads a scan's report from the container it ran in and parses it. */
export async function readScan(ran: Container, spec: ReadSpec): Promise<ActionOutcome> {
  const outcome = emptyOutcome(spec.action);
  const exitCode = await ran.exitCode();
  const hasReport = await ran.exists(spec.path);
  const why = async () => lastLines(await ran.stderr()) || "no output";
  if (!hasReport) {
    if (exitCode === 0 && spec.missingMeansEmpty) {
      outcome.sets.push({ tool: spec.tool, format: spec.format, findings: [], toolErrors: [] });
    } else {
      scanIncomplete(outcome, spec.tool, spec.category, `${spec.tool} exited ${exitCode} without writing ${spec.path}: ${await why()}`);
    }
    return outcome;
  }
  if (spec.completed && !spec.completed(exitCode)) {
    scanIncomplete(outcome, spec.tool, spec.category, `${spec.tool} exited ${exitCode}: ${await why()}`);
  }
  const file = ran.file(spec.path);
  outcome.files.push({ name: spec.name, file });
  try {
    outcome.sets.push(parseReport(await file.contents(), { file: spec.name, tool: spec.tool, format: spec.format, category: spec.category }));
  } catch (err) {
    scanIncomplete(outcome, spec.tool, spec.category, `the ${spec.tool} report could not be read: ${(err as Error).message}`);
  }
  return outcome;
}

/**
 * Which exit codes mean "the scan completed" for each tool (a report is still required). Anything
 * else means the tool did not run as configured, and the action did not complete (fail closed).
 */
export const scanCompleted = {
  // 1 is "leaks found"; gitleaks also exits 1 on a fatal error, but then it writes no report.
  gitleaks: (code: number) => code === 0 || code === 1,
  // 1 is "findings with --error" (not passed here) and 3 "some targets could not be parsed": the
  // report holds the results and errors[] (kept as tool errors). 2 is fatal, 4 and up are rule or
  // config errors.
  semgrep: (code: number) => code === 0 || code === 1 || code === 3,
  trivy: (code: number) => code === 0,
  // A bit mask of the levels found (2 error, 4 warning, 8 info); an odd code is cfn-lint failing
  // itself (e.g. 1 for "Missing optional dependencies sarif").
  cfnLint: (code: number) => code % 2 === 0,
};

function sourceFile(source: Directory, path: string | undefined): File | undefined {
  return path ? source.file(path) : undefined;
}

/** Secrets detection with gitleaks. Without explicit files, gitleaks reads the source's `.gitleaks.toml` and `.gitleaksignore`, as the pre-commit hook does. */
export async function runSecrets(source: Directory, config: DpraConfig): Promise<ActionOutcome> {
  const g = config.security.gitleaks;
  const ran = gitleaksScan(
    gitleaksContainer(),
    source,
    { mode: g.mode, logOpts: g.logOpts, config: sourceFile(source, g.config), ignoreFile: sourceFile(source, g.ignoreFile) },
    "json",
  );
  return readScan(ran, {
    action: "secrets",
    tool: "gitleaks",
    format: "gitleaks-json",
    path: gitleaksReportPath("json"),
    name: "gitleaks.json",
    category: "secret",
    completed: scanCompleted.gitleaks,
    missingMeansEmpty: true,
  });
}

/** Registry rulesets used when dpra.yaml names no rules: semgrep's default set (needs network access). */
export const DEFAULT_SEMGREP_RULESETS = ["p/default"];

/** SAST with semgrep: local rules offline, registry rulesets when configured (or by default). */
export async function runSast(source: Directory, config: DpraConfig): Promise<ActionOutcome> {
  const s = config.security.semgrep;
  const rulesets = s.rules.length === 0 && s.rulesets.length === 0 ? DEFAULT_SEMGREP_RULESETS : s.rulesets;
  const ran = semgrepScan(semgrepContainer(), source, { rules: s.rules, rulesets, exclude: s.exclude });
  return readScan(ran, {
    action: "sast",
    tool: "semgrep",
    format: "semgrep-json",
    path: SEMGREP_JSON_REPORT,
    name: "semgrep.json",
    category: "sast",
    completed: scanCompleted.semgrep,
  });
}

/** The trivy scanners the SCA action runs: misconfigurations are left to the IaC check, so that each is reported once. */
export function scaScanners(config: DpraConfig): string[] {
  return config.security.trivy.scanners.filter((s) => s !== "misconfig");
}

/** SCA with trivy over the source: dependency vulnerabilities, licenses (and secrets when configured). */
export async function runSca(source: Directory, config: DpraConfig): Promise<ActionOutcome> {
  const t = config.security.trivy;
  const scanners = scaScanners(config);
  if (scanners.length === 0) return emptyOutcome("sca");
  const ran = trivyFsScan(trivyContainer(), source, {
    scanners,
    severities: t.severity,
    ignoreFile: sourceFile(source, t.ignoreFile),
    skipDirs: t.skipDirs,
  });
  return readScan(ran, { action: "sca", tool: "trivy", format: "trivy-json", path: TRIVY_JSON_REPORT, name: "trivy-fs.json", category: "vulnerability", completed: scanCompleted.trivy });
}

/** Vulnerabilities and secrets in the packaged image (OS and language packages). */
export async function runImageScan(image: Container, source: Directory, config: DpraConfig): Promise<ActionOutcome> {
  const t = config.security.trivy;
  const ran = trivyImageScan(trivyContainer(), image, { severities: t.severity, ignoreFile: sourceFile(source, t.ignoreFile) });
  return readScan(ran, { action: "image-scan", tool: "trivy", format: "trivy-json", path: TRIVY_JSON_REPORT, name: "trivy-image.json", category: "vulnerability", completed: scanCompleted.trivy });
}

/** Reads an SBOM run: the CycloneDX file, or a failure when trivy wrote none. */
async function readSbom(action: string, ran: Container, name: string): Promise<ActionOutcome> {
  const outcome = emptyOutcome(action);
  const exitCode = await ran.exitCode();
  if (exitCode !== 0 || !(await ran.exists(TRIVY_SBOM_REPORT))) {
    outcome.failures.push(`${action}: trivy exited ${exitCode} without a CycloneDX SBOM: ${lastLines(await ran.stderr()) || "no output"}`);
    return outcome;
  }
  outcome.files.push({ name, file: ran.file(TRIVY_SBOM_REPORT) });
  return outcome;
}

/** A CycloneDX SBOM of the source's dependencies (lockfiles, manifests). */
export async function runSbom(source: Directory): Promise<ActionOutcome> {
  return readSbom("sbom", trivySourceSbom(trivyContainer(), source), "sbom.cdx.json");
}

/** A CycloneDX SBOM of the packaged image: what is deployed, OS packages included. */
export async function runImageSbom(image: Container): Promise<ActionOutcome> {
  return readSbom("image-sbom", trivyImageSbom(trivyContainer(), image), "sbom-image.cdx.json");
}

const TEMPLATE_EXTENSIONS = [".yaml", ".yml", ".json", ".template"];
const CFN_MARKER = /AWSTemplateFormatVersion|\bAWS::[A-Za-z0-9]+::[A-Za-z0-9]+/;

/** CloudFormation templates under the IaC folders: YAML/JSON files that declare AWS resources. */
export async function findTemplates(source: Directory, paths: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const root of paths) {
    if (!(await source.exists(root))) continue;
    const candidates = (await source.glob(`${root.replace(/\/$/, "")}/**/*`)).filter((p) =>
      TEMPLATE_EXTENSIONS.some((ext) => p.toLowerCase().endsWith(ext)),
    );
    const contents = await Promise.all(candidates.map(async (p) => [p, await source.file(p).contents()] as const));
    found.push(...contents.filter(([, text]) => CFN_MARKER.test(text)).map(([p]) => p));
  }
  return [...new Set(found)].sort();
}

export const CFN_LINT_REPORT = "/reports/cfn-lint.json";

/** cfn-lint from PyPI at a pinned version, in a pinned Python image, with the pip cache mounted. */
export function cfnLintContainer(): Container {
  return dag
    .container()
    .from(CFN_LINT_PYTHON_IMAGE)
    .withMountedCache("/root/.cache/pip", dag.cacheVolume("dpra-pip"))
    .withExec(["pip", "install", "--no-input", "--disable-pip-version-check", `cfn-lint==${CFN_LINT_VERSION}`]);
}

/** IaC checks: trivy misconfiguration over the source (IaC and Dockerfiles), cfn-lint over CloudFormation templates. */
export async function runIac(source: Directory, config: DpraConfig): Promise<ActionOutcome> {
  const iac = config.quality.iac;
  const t = config.security.trivy;
  const misconfig = (async () => {
    if (!t.scanners.includes("misconfig")) return emptyOutcome("iac");
    const ran = trivyFsScan(trivyContainer(), source, {
      scanners: ["misconfig"],
      severities: t.severity,
      ignoreFile: sourceFile(source, t.ignoreFile),
      skipDirs: t.skipDirs,
    });
    return readScan(ran, { action: "iac", tool: "trivy", format: "trivy-json", path: TRIVY_JSON_REPORT, name: "trivy-misconfig.json", category: "misconfiguration", completed: scanCompleted.trivy });
  })();
  const cfnLint = (async () => {
    if (!iac.cfnLint) return emptyOutcome("iac");
    const templates = await findTemplates(source, iac.paths);
    if (templates.length === 0) return emptyOutcome("iac");
    const ran = cfnLintContainer()
      .withMountedDirectory("/src", source)
      .withWorkdir("/src")
      .withDirectory("/reports", dag.directory())
      .withExec(["cfn-lint", "--format", "json", "--output-file", CFN_LINT_REPORT, "--", ...templates], { expect: ReturnType.Any });
    return readScan(ran, {
      action: "iac",
      tool: "cfn-lint",
      // JSON needs no optional dependency (SARIF output needs cfn-lint[sarif]).
      format: "cfn-lint-json",
      path: CFN_LINT_REPORT,
      name: "cfn-lint.json",
      category: "misconfiguration",
      completed: scanCompleted.cfnLint,
    });
  })();
  return mergeOutcomes("iac", await Promise.all([misconfig, cfnLint]));
}

export function mergeOutcomes(action: string, outcomes: ActionOutcome[]): ActionOutcome {
  return {
    action,
    sets: outcomes.flatMap((o) => o.sets),
    failures: outcomes.flatMap((o) => o.failures),
    incomplete: outcomes.flatMap((o) => o.incomplete),
    files: outcomes.flatMap((o) => o.files),
  };
}
