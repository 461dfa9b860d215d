import { func, object, type Directory, type File } from "@dagger.io/dagger";
import type { CapacityConfig } from "../../config/sections/verification.js";
import { endpointFromOutputs } from "../../cloudformation/stack-facts.js";
import { collectK6, k6Run, type K6RunOptions } from "./k6.dagger.js";
import { runCapacityTest, type CapacityResult } from "./run.js";

/** The outcome of a k6 capacity test. */
@object()
export class CapacityTestResult {
  /** Whether every threshold and the baseline comparison passed. */
  @func()
  passed: boolean;

  /** The checks, one per line, as shown in the release summary. */
  @func()
  report: string;

  /** The new baseline JSON to keep for the next run (empty when the test failed). */
  @func()
  baseline: string;

  constructor(passed: boolean, report: string, baseline: string) {
    this.passed = passed;
    this.report = report;
    this.baseline = baseline;
  }
}

/** Runs k6 in its pinned container against `endpoint` and evaluates the result. */
export async function capacityTestAgainst(
  source: Directory,
  capacity: CapacityConfig,
  endpoint: string,
  options: { baseline?: { text: string; file: string }; digest?: string; runId?: string } = {},
): Promise<CapacityResult> {
  const runK6 = async (opts: K6RunOptions) => collectK6(k6Run(source, opts, options.runId ?? new Date().toISOString()), opts);
  return runCapacityTest(runK6, { script: capacity.script, thresholds: capacity.thresholds, tolerance: capacity.tolerance }, endpoint, {
    baseline: options.baseline,
    now: new Date(),
    digest: options.digest,
  });
}

/** Gamma's capacity test: the endpoint is the stack output named in `capacity.endpointOutput`. */
export async function gammaCapacityTest(
  source: Directory,
  capacity: CapacityConfig,
  stack: { name: string; outputs: Record<string, string> },
  options: { baseline?: { text: string; file: string }; digest?: string; runId?: string } = {},
): Promise<CapacityResult> {
  const endpoint = endpointFromOutputs(stack.outputs, capacity.endpointOutput, stack.name);
  return capacityTestAgainst(source, capacity, endpoint, options);
}

/** Reads the optional baseline file and turns a capacity result into the returned object. */
export async function capacityTestFunction(
  source: Directory,
  capacity: CapacityConfig | undefined,
  endpoint: string,
  baseline: File | undefined,
  failOnRegression: boolean,
): Promise<CapacityTestResult> {
  if (!capacity) {
    throw new Error("dpra.yaml has no capacity section: add `capacity: { script: <k6 script> }` to run a capacity test");
  }
  const baselineInput = baseline ? { text: await baseline.contents(), file: await baseline.name() } : undefined;
  const result = await capacityTestAgainst(source, capacity, endpoint.replace(/\/$/, ""), { baseline: baselineInput });
  if (!result.verdict.passed && failOnRegression) throw new Error(result.report);
  return new CapacityTestResult(result.verdict.passed, result.report, result.newBaseline ? JSON.stringify(result.newBaseline, null, 2) : "");
}
