// Which exit codes of each scanner mean "the scan completed", shared by the Dagger actions (outcome.ts)
// and `dpra scan`; no Dagger import.

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
