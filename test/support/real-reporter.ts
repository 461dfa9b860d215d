// A vitest reporter for the real-component tests (level 1): at the end of a run it prints one line
// per component, `real: <component> <version> <passed> passed, <skipped> skipped`, grouping every
// test under its innermost `real: <component> [<version>]` suite (describeReal names them so; the
// example's browser E2E names its suite the same way). Under CI=true it fails the run when a
// component skipped a test, or when one of the components CI must exercise passed none.
import type { Reporter, TestCase, TestModule, TestSuite } from "vitest/node";

/**
 * The components every CI run must have exercised for real: each one is listed here in the commit
 * that lands its first real test, so the list says what CI really covers.
 */
export const EXPECTED_COMPONENTS = [
  "gitleaks",
  "semgrep",
  "trivy",
  "cfn-lint",
  "dpra-scan",
  "postgresql",
  "dbmate",
  "flyway",
  "liquibase",
  "moto",
  "oras-registry",
  "chromium",
  "node-build",
] as const;

/** `real: flyway 11.7.2`, `real: moto`, `real: trivy (skipped: ...)`. */
const SUITE = /^real: ([A-Za-z0-9][A-Za-z0-9._-]*)(?: (\d[^\s()]*))?(?: \(skipped: .*\))?$/;

export interface ComponentTally {
  component: string;
  version: string;
  passed: number;
  failed: number;
  skipped: number;
}

function realSuite(test: TestCase): { component: string; version: string } | undefined {
  let parent: TestSuite | TestModule = test.parent;
  while (parent.type === "suite") {
    const match = SUITE.exec(parent.name);
    if (match) return { component: match[1]!, version: match[2] ?? "" };
    parent = parent.parent;
  }
  return undefined;
}

/** Tallies the tests of each real component, in the order the components first appear. */
export function tallyRealTests(modules: ReadonlyArray<TestModule>): ComponentTally[] {
  const tallies = new Map<string, ComponentTally>();
  for (const module of modules) {
    for (const test of module.children.allTests()) {
      const suite = realSuite(test);
      if (!suite) continue;
      const tally = tallies.get(suite.component) ?? { component: suite.component, version: "", passed: 0, failed: 0, skipped: 0 };
      if (suite.version && !tally.version) tally.version = suite.version;
      const state = test.result().state;
      if (state === "passed") tally.passed++;
      else if (state === "failed") tally.failed++;
      else tally.skipped++;
      tallies.set(suite.component, tally);
    }
  }
  return [...tallies.values()];
}

/** The lines to print, and under CI the reasons the run fails. */
export function realSummary(tallies: ComponentTally[], ci: boolean): { lines: string[]; problems: string[] } {
  const lines = tallies.map((t) => `real: ${t.component} ${t.version || "(version unknown)"} ${t.passed} passed, ${t.skipped} skipped${t.failed ? `, ${t.failed} failed` : ""}`);
  const problems: string[] = [];
  if (ci) {
    for (const t of tallies) if (t.skipped > 0) problems.push(`${t.component}: ${t.skipped} test(s) skipped; under CI=true every real-component test runs`);
    for (const name of EXPECTED_COMPONENTS) {
      if (!tallies.some((t) => t.component === name && t.passed > 0)) problems.push(`${name}: no real-component test passed; CI must exercise it`);
    }
  }
  return { lines, problems };
}

export default class RealComponentReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const tallies = tallyRealTests(testModules);
    // A run filtered to files without real tests says nothing about the components.
    if (tallies.length === 0) return;
    const { lines, problems } = realSummary(tallies, process.env.CI === "true");
    process.stdout.write(`\n${lines.join("\n")}\n`);
    if (problems.length > 0) {
      process.stdout.write(`real-component check failed (CI=true):\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
      process.exitCode = 1;
    }
  }
}
