import { evaluateCapacity, formatVerdict, parseBaseline, recordBaseline, type CapacityBaseline, type CapacityThresholds, type CapacityVerdict } from "./evaluate.js";
import type { K6Output, K6RunOptions } from "./k6.dagger.js";
import { parseK6Summary } from "./summary.js";

export interface CapacitySettings {
  script: string;
  thresholds: CapacityThresholds;
  tolerance: number;
}

export interface CapacityResult {
  verdict: CapacityVerdict;
  /** Human-readable report for the release summary. */
  report: string;
  /** The baseline to store for the next run: only when this run passed. */
  newBaseline?: CapacityBaseline;
  k6ExitCode: number;
}

/** Runs k6 (injected), then evaluates it against the thresholds and the last baseline. */
export async function runCapacityTest(
  runK6: (opts: K6RunOptions) => Promise<K6Output>,
  settings: CapacitySettings,
  endpoint: string,
  options: { baseline?: { text: string; file: string }; now: Date; digest?: string },
): Promise<CapacityResult> {
  // Parse the baseline first: a broken baseline file should fail before minutes of load.
  const baseline = options.baseline ? parseBaseline(options.baseline.text, options.baseline.file) : undefined;
  const out = await runK6({ script: settings.script, endpoint });
  const metrics = parseK6Summary(out.summary, `k6 summary of ${settings.script}`);
  const verdict = evaluateCapacity(metrics, settings.thresholds, settings.tolerance, baseline);
  const scriptThresholds = out.exitCode === 99 ? "\nnote: the script's own k6 thresholds failed too (exit code 99)" : "";
  return {
    verdict,
    report: `k6 ${settings.script} against ${endpoint}\n${formatVerdict(verdict)}${scriptThresholds}`,
    newBaseline: verdict.passed ? recordBaseline(metrics, options.now, options.digest) : undefined,
    k6ExitCode: out.exitCode,
  };
}
