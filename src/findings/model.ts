// The one findings model every scanner, linter and test report is normalised to.
// This file is the contract between the parsers (src/findings), the policy gate (src/policy)
// and the build stage's Dagger recipes (src/stages/build). Keep it free of Dagger types.

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
/** One severity scale for every tool. */
export type Severity = (typeof SEVERITIES)[number];

export const CATEGORIES = ["secret", "sast", "vulnerability", "misconfiguration", "license", "quality", "test"] as const;
export type Category = (typeof CATEGORIES)[number];

export type ToolName = "gitleaks" | "semgrep" | "trivy" | "eslint" | "junit" | "cfn-lint" | "tsc" | "ecr" | (string & {});

export interface Location {
  /** Path relative to the scanned root, with forward slashes. */
  path?: string;
  startLine?: number;
  endLine?: number;
  /** Package and version, for dependency findings. */
  package?: string;
  version?: string;
  /** Commit, for findings from git history. */
  commit?: string;
  startColumn?: number;
  endColumn?: number;
}

export interface Finding {
  tool: ToolName;
  category: Category;
  /** Rule, check or advisory ID (e.g. `CVE-2024-1234`, `aws-access-token`, `DS-0002`). */
  rule: string;
  severity: Severity;
  message: string;
  location: Location;
  /** Stable identity across runs, used by baselines and allowlists. */
  fingerprint: string;
  /** True when a fix exists (a fixed version, an autofix). Undefined when the tool does not say. */
  fixAvailable?: boolean;
  fixedVersion?: string;
  /** Suppressed at the source (nosemgrep, SARIF suppressions, VEX): reported, never blocking. */
  suppressed?: { kind: string; justification?: string };
  /** Link to the rule or advisory. */
  helpUri?: string;
  /** Short title of the rule or advisory, when the tool gives one. */
  title?: string;
  /** Other IDs of the same rule (e.g. trivy's old `DS002`/`AVD-DS-0002` for `DS-0002`); allowlists match them too. */
  aliases?: string[];
}

/** What one report yields: its findings, plus problems the tool itself reported (partial parses, errors). */
export interface FindingSet {
  tool: ToolName;
  /** The report format that was parsed, e.g. `gitleaks-json`, `sarif`, `trivy-json`, `cyclonedx`, `junit`. */
  format: string;
  findings: Finding[];
  /** Errors the tool recorded inside the report (e.g. semgrep `errors[]`, SARIF notifications). */
  toolErrors: string[];
  /** Test counts, for JUnit reports. */
  tests?: TestCounts;
  /** The report file it came from, when known. */
  source?: string;
  /** The version of the tool, when the report states it (SARIF driver, semgrep JSON, trivy JSON, CycloneDX). */
  toolVersion?: string;
}

/** Test outcomes counted from a JUnit report's test cases. */
export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
  errors: number;
  total: number;
}
