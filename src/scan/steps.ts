// The scans `dpra scan` runs, built from dpra.yaml with the recipes' own argv builders: only the
// container paths are mapped to host paths (reports under the output's raw/ folder).
import path from "node:path";
import { gitleaksArgs, gitleaksReportPath } from "../../modules/gitleaks/src/args.js";
import { semgrepArgs } from "../../modules/semgrep/src/args.js";
import { trivyFsArgs, trivySbomArgs, type TrivyPaths } from "../../modules/trivy/src/args.js";
import { cfnLintArgs } from "./cfn-lint-args.js";
import { scanCompleted } from "./scan-completed.js";
import { BUNDLED_SEMGREP_RULES_DIR, scaScanners, semgrepConfigLabel, semgrepRuleSelection } from "./scan-settings.js";
import type { DpraConfig } from "../config/schema.js";
import type { Category } from "../findings/model.js";
import type { BuildStep } from "../pipeline/build-steps.js";

/** The tools `dpra scan` runs (catalog names). */
export const SCAN_TOOLS = ["gitleaks", "semgrep", "trivy", "cfn-lint"] as const;
export type ScanTool = (typeof SCAN_TOOLS)[number];

/** The build-stage steps `dpra scan` runs on host tools. */
export type ScanAction = Extract<BuildStep, "secrets" | "sast" | "sca" | "iac" | "sbom">;

export interface ScanStep {
  /** The build-stage step it stands for, named as the build stage and the release name it. */
  action: ScanAction;
  tool: ScanTool;
  /** The arguments after the program name (the recipe's argv without argv[0]). */
  args: string[];
  /** The report the tool writes (absolute). */
  report: string;
  /** Format for the parser; undefined for the SBOM (kept, not parsed into findings). */
  format?: string;
  category: Category;
  completed: (exitCode: number) => boolean;
  /** A missing report with exit code 0 means "nothing found". */
  missingMeansEmpty?: boolean;
  /** The rules a SAST scan was given, named in the finding of a run that executed none. */
  sastConfig?: string;
  /**
   * The report states the tool's version (semgrep JSON's `version`), so no separate `--version` run
   * is needed: for semgrep that run is a second Python start, about 1.3 s of CPU on these machines.
   */
  statesVersion?: boolean;
  /**
   * The longest scan (semgrep, on every project measured): it keeps the normal priority and the
   * others yield the CPU to it, so that on a machine with fewer cores than scans the slowest one is
   * not slowed further and `dpra scan` ends close to when it does.
   */
  longest?: boolean;
}

export interface StepContext {
  /** The source folder (absolute); every tool runs in it. */
  source: string;
  /** Where raw reports go (absolute). */
  rawDir: string;
  /** trivy's cache (vulnerability DB, checks bundle). */
  trivyCacheDir: string;
  /** Leave trivy's vulnerability scanner out (no DB here); the summary says so. */
  offline: boolean;
  /** The host folder of the bundled semgrep rules, used when dpra.yaml names no rules or rulesets. */
  bundledSemgrepRules: string;
}

function withoutProgram(argv: string[]): string[] {
  return argv.slice(1);
}

function trivyPaths(ctx: StepContext, jsonName: string): TrivyPaths {
  const t = (name: string): string => path.join(ctx.rawDir, name);
  return { cacheDir: ctx.trivyCacheDir, ignoreFile: "", input: "", jsonReport: t(jsonName), sarifReport: t(jsonName.replace(/\.json$/, ".sarif")), sbomReport: t("sbom.cdx.json") };
}

/** The scans for this config; `templates` are the CloudFormation templates cfn-lint checks. */
export function scanSteps(config: DpraConfig, templates: readonly string[], ctx: StepContext): { steps: ScanStep[]; notes: string[] } {
  const notes: string[] = [];
  const steps: ScanStep[] = [];
  const src = (p: string): string => path.resolve(ctx.source, p);
  const g = config.security.gitleaks;
  steps.push({
    action: "secrets",
    tool: "gitleaks",
    args: withoutProgram(
      gitleaksArgs(
        "json",
        { mode: g.mode, logOpts: g.logOpts, config: g.config !== undefined, ignoreFile: g.ignoreFile !== undefined },
        {
          reportDir: ctx.rawDir,
          config: g.config ? src(g.config) : "",
          ignoreFile: g.ignoreFile ? src(g.ignoreFile) : "",
          baseline: "",
        },
      ),
    ),
    report: gitleaksReportPath("json", ctx.rawDir),
    format: "gitleaks-json",
    category: "secret",
    completed: scanCompleted.gitleaks,
    missingMeansEmpty: true,
  });
  const semgrepJson = path.join(ctx.rawDir, "semgrep.json");
  const rules = semgrepRuleSelection(config);
  if (rules.bundled) notes.push(`semgrep: dpra.yaml names no rules or rulesets, so the bundled rules (${BUNDLED_SEMGREP_RULES_DIR}) ran, offline`);
  steps.push({
    action: "sast",
    tool: "semgrep",
    args: withoutProgram(
      semgrepArgs(
        { rules: rules.rules, rulesets: rules.rulesets, rulesDir: rules.bundled, ruleIdsAsWritten: rules.bundled, exclude: config.security.semgrep.exclude },
        { rulesDir: rules.bundled ? ctx.bundledSemgrepRules : "", jsonReport: semgrepJson, sarifReport: path.join(ctx.rawDir, "semgrep.sarif") },
      ),
    ),
    report: semgrepJson,
    format: "semgrep-json",
    category: "sast",
    completed: scanCompleted.semgrep,
    sastConfig: semgrepConfigLabel(rules),
    statesVersion: true,
    longest: true,
  });
  const t = config.security.trivy;
  const ignore = t.ignoreFile ? { ignoreFile: true } : {};
  let sca = scaScanners(config);
  if (ctx.offline && sca.includes("vuln")) {
    sca = sca.filter((s) => s !== "vuln");
    notes.push("trivy: the vulnerability scanner was left out (--offline: no vulnerability database is downloaded)");
  }
  if (sca.length > 0) {
    const paths = { ...trivyPaths(ctx, "trivy-fs.json"), ignoreFile: t.ignoreFile ? src(t.ignoreFile) : "" };
    steps.push({
      action: "sca",
      tool: "trivy",
      args: withoutProgram(trivyFsArgs({ scanners: sca, severities: t.severity, skipDirs: t.skipDirs, ...ignore }, paths)),
      report: paths.jsonReport,
      format: "trivy-json",
      category: "vulnerability",
      completed: scanCompleted.trivy,
    });
  }
  if (t.scanners.includes("misconfig")) {
    const paths = { ...trivyPaths(ctx, "trivy-misconfig.json"), ignoreFile: t.ignoreFile ? src(t.ignoreFile) : "" };
    steps.push({
      action: "iac",
      tool: "trivy",
      args: withoutProgram(trivyFsArgs({ scanners: ["misconfig"], severities: t.severity, skipDirs: t.skipDirs, misconfigScanners: t.misconfigScanners, ...ignore }, paths)),
      report: paths.jsonReport,
      format: "trivy-json",
      category: "misconfiguration",
      completed: scanCompleted.trivy,
    });
  }
  const sbom = trivyPaths(ctx, "trivy-fs.json").sbomReport;
  steps.push({
    action: "sbom",
    tool: "trivy",
    args: withoutProgram(trivySbomArgs("fs", undefined, trivyPaths(ctx, "trivy-fs.json"))),
    report: sbom,
    category: "vulnerability",
    completed: scanCompleted.trivy,
  });
  if (config.quality.iac.cfnLint) {
    if (templates.length === 0) {
      notes.push(`cfn-lint: no CloudFormation template under ${config.quality.iac.paths.join(", ")}`);
    } else {
      const report = path.join(ctx.rawDir, "cfn-lint.json");
      steps.push({
        action: "iac",
        tool: "cfn-lint",
        args: withoutProgram(cfnLintArgs(templates, report)),
        report,
        format: "cfn-lint-json",
        category: "misconfiguration",
        completed: scanCompleted.cfnLint,
      });
    }
  }
  return { steps, notes };
}
