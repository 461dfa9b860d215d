// The build stage's own summary lines: what ran, what failed to run, how the tests went. Pure.
import type { TestsConfig } from "../../config/sections/build.js";
import type { FindingSet, TestCounts } from "../../findings/model.js";
import { optedOut } from "../../pipeline/plan.js";
import type { BuildActionOutcome } from "./outcome.dagger.js";

/** The unit test counts of every JUnit set, summed; undefined when no tests ran. */
export function testCounts(sets: FindingSet[]): TestCounts | undefined {
  const withTests = sets.filter((s) => s.tests);
  if (withTests.length === 0) return undefined;
  const sum: TestCounts = { passed: 0, failed: 0, skipped: 0, errors: 0, total: 0 };
  for (const { tests } of withTests) for (const key of Object.keys(sum) as Array<keyof TestCounts>) sum[key] += tests![key];
  return sum;
}

export function testsLine(tests: TestCounts | undefined, optOut?: string): string {
  if (optOut) return `Unit tests: ${optedOut("unit", optOut)}`;
  if (!tests) return "Unit tests: none ran (set tests.unit in dpra.yaml, or add vitest, or jest with jest-junit).";
  return `Unit tests: ${tests.passed} passed, ${tests.failed} failed, ${tests.errors} errors, ${tests.skipped} skipped (${tests.total} total).`;
}

/** A Markdown table of the actions: findings found and whether the action itself ran. */
export function actionsTable(outcomes: BuildActionOutcome[]): string {
  const rows = outcomes.map((o) => {
    const findings = o.sets.reduce((n, s) => n + s.findings.length, 0);
    const tools = [...new Set(o.sets.map((s) => s.tool))].join(", ") || "-";
    const status = o.failures.length + o.incomplete.length > 0 ? "did not complete" : "ran";
    return `| ${o.action} | ${tools} | ${findings} | ${status} |`;
  });
  return ["| Action | Tools | Findings | Status |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

/** The headline and sections the build adds around the policy gate's own Markdown. */
export function stageSummary(opts: {
  title: string;
  passed: boolean;
  outcomes: BuildActionOutcome[];
  tests?: TestCounts;
  /** dpra.yaml's reasons for going without a suite (tests.optOut): each one is printed. */
  optOuts?: TestsConfig["optOut"];
  gateMarkdown: string;
}): string {
  const failures = opts.outcomes.flatMap((o) => [...o.failures, ...o.incomplete]);
  const parts = [`# ${opts.title}: ${opts.passed ? "PASSED" : "FAILED"}`, "", actionsTable(opts.outcomes), "", testsLine(opts.tests, opts.optOuts?.unit)];
  for (const [suite, label] of [
    ["integration", "Integration tests"],
    ["e2e", "E2E tests"],
  ] as const) {
    const reason = opts.optOuts?.[suite];
    if (reason) parts.push(`${label}: ${optedOut(suite, reason)}`);
  }
  if (failures.length > 0) {
    parts.push("", "## Actions that did not complete", "", ...failures.map((f) => `- ${f.replace(/\n/g, "\n  ")}`));
  }
  parts.push("", opts.gateMarkdown.trim(), "");
  return parts.join("\n");
}

/** The error a failed stage throws (unless --no-fail): every blocking finding and failure, and what to do. */
export function failureMessage(title: string, verdict: string, blocking: string[], failures: string[]): string {
  const lines = [`${title} failed: ${verdict}`];
  if (failures.length > 0) lines.push(`${failures.length} action(s) did not complete:`, ...failures.map((f) => `  - ${f.split("\n")[0]}`));
  if (blocking.length > 0) lines.push(`${blocking.length} blocking finding(s):`, ...blocking.map((b) => `  - ${b}`));
  lines.push(
    "Fix them, or accept a finding with an allowlist entry (rule or fingerprint, reason, expires) in dpra.yaml policy.allowlist.",
    "Run with --no-fail to get the result and its reports (summary.md, findings.sarif) without failing.",
  );
  return lines.join("\n");
}
