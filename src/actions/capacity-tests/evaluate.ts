import { z } from "zod";
import type { CapacityMetrics } from "./summary.js";
import { errorMessage } from "../../errors.js";

export interface CapacityThresholds {
  p95Ms: number;
  errorRate: number;
  minRps: number;
}

export interface CapacityCheck {
  name: string;
  passed: boolean;
  detail: string;
}

export interface CapacityVerdict {
  passed: boolean;
  metrics: CapacityMetrics;
  baseline?: CapacityBaseline;
  checks: CapacityCheck[];
}

/** The recorded result of an accepted capacity test, compared against by the next run. */
export const CapacityBaseline = z.strictObject({
  version: z.literal(1),
  recordedAt: z.iso.datetime(),
  /** Image digest the baseline was measured on, for the report. */
  digest: z.string().optional(),
  metrics: z.strictObject({
    p95Ms: z.number().positive(),
    errorRate: z.number().min(0).max(1),
    rps: z.number().min(0),
    requests: z.number().int().min(0),
  }),
});
export type CapacityBaseline = z.infer<typeof CapacityBaseline>;

export function parseBaseline(text: string, file: string): CapacityBaseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${errorMessage(e)})`, { cause: e });
  }
  const parsed = CapacityBaseline.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${file}: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "unexpected shape"}. ` +
        "Expected a capacity baseline written by dpra (version 1); delete it to record a new one.",
    );
  }
  return parsed.data;
}

export function recordBaseline(metrics: CapacityMetrics, recordedAt: Date, digest?: string): CapacityBaseline {
  return { version: 1, recordedAt: recordedAt.toISOString(), ...(digest ? { digest } : {}), metrics: { ...metrics } };
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const rps = (x: number) => `${x.toFixed(1)} req/s`;

/**
 * Applies the absolute thresholds, then the regression check against the last baseline:
 * - p95 latency may grow by at most `tolerance` (relative): 0.1 lets 200 ms become 220 ms;
 * - throughput may drop by at most `tolerance` (relative);
 * - the error rate may grow by at most `tolerance` × the error-rate threshold (points of the error
 *   budget), because a relative rule on a near-zero rate would fail on a single extra error.
 */
export function evaluateCapacity(metrics: CapacityMetrics, thresholds: CapacityThresholds, tolerance: number, baseline?: CapacityBaseline): CapacityVerdict {
  const checks: CapacityCheck[] = [];
  const add = (name: string, passed: boolean, detail: string) => checks.push({ name, passed, detail });

  if (metrics.requests === 0) add("requests", false, "k6 made no HTTP requests: the script did not reach the endpoint");
  add("p95 latency", metrics.p95Ms <= thresholds.p95Ms, `${ms(metrics.p95Ms)} (limit ${ms(thresholds.p95Ms)})`);
  add("error rate", metrics.errorRate <= thresholds.errorRate, `${pct(metrics.errorRate)} (limit ${pct(thresholds.errorRate)})`);
  add("throughput", metrics.rps >= thresholds.minRps, `${rps(metrics.rps)} (minimum ${rps(thresholds.minRps)})`);

  if (baseline) {
    const b = baseline.metrics;
    const maxP95 = b.p95Ms * (1 + tolerance);
    add("p95 vs baseline", metrics.p95Ms <= maxP95, `${ms(metrics.p95Ms)} vs baseline ${ms(b.p95Ms)} (allowed up to ${ms(maxP95)})`);
    const minRps = b.rps * (1 - tolerance);
    add("throughput vs baseline", metrics.rps >= minRps, `${rps(metrics.rps)} vs baseline ${rps(b.rps)} (allowed down to ${rps(minRps)})`);
    const maxErr = b.errorRate + tolerance * thresholds.errorRate;
    add("error rate vs baseline", metrics.errorRate <= maxErr, `${pct(metrics.errorRate)} vs baseline ${pct(b.errorRate)} (allowed up to ${pct(maxErr)})`);
  }
  return { passed: checks.every((c) => c.passed), metrics, baseline, checks };
}

export function formatVerdict(v: CapacityVerdict): string {
  const lines = v.checks.map((c) => `${c.passed ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`);
  const head = v.passed ? "capacity test passed" : "capacity test FAILED";
  const base = v.baseline ? ` (baseline recorded ${v.baseline.recordedAt}${v.baseline.digest ? ` on ${v.baseline.digest}` : ""})` : " (no baseline yet)";
  return [head + base, ...lines].join("\n");
}
