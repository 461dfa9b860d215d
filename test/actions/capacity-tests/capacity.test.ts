import { describe, expect, it, vi } from "vitest";
import { evaluateCapacity, parseBaseline, recordBaseline } from "../../../src/actions/capacity-tests/evaluate.js";
import { k6Args } from "../../../src/actions/capacity-tests/k6.dagger.js";
import { runCapacityTest } from "../../../src/actions/capacity-tests/run.js";
import { parseK6Summary } from "../../../src/actions/capacity-tests/summary.js";
import { realSummaryExport, summaryWith } from "./k6-summary.sample.js";

const thresholds = { p95Ms: 500, errorRate: 0.01, minRps: 10 };

describe("parseK6Summary", () => {
  it("reads p95, error rate and throughput from a real k6 summary export", () => {
    expect(parseK6Summary(JSON.stringify(realSummaryExport))).toEqual({
      p95Ms: 7.593239699999984,
      errorRate: 0,
      rps: 528.3735309289374,
      requests: 1587,
    });
  });

  it("names the file and the missing metric", () => {
    const noReqs = { metrics: { ...realSummaryExport.metrics, http_reqs: undefined } };
    expect(() => parseK6Summary(JSON.stringify(noReqs), "reports/k6.json")).toThrow(/reports\/k6\.json: metrics\.http_reqs: .*does the script make HTTP requests/);
    expect(() => parseK6Summary("{", "reports/k6.json")).toThrow(/reports\/k6\.json: not JSON/);
    const noP95 = { metrics: { ...realSummaryExport.metrics, http_req_duration: { avg: 1 } } };
    expect(() => parseK6Summary(JSON.stringify(noP95))).toThrow(/p\(95\)/);
  });
});

describe("evaluateCapacity", () => {
  const m = { p95Ms: 200, errorRate: 0.002, rps: 100, requests: 6000 };

  it("passes within thresholds and without a baseline", () => {
    const v = evaluateCapacity(m, thresholds, 0.1);
    expect(v.passed).toBe(true);
    expect(v.checks.map((c) => c.name)).toEqual(["p95 latency", "error rate", "throughput"]);
  });

  it("fails each absolute threshold on its own", () => {
    expect(evaluateCapacity({ ...m, p95Ms: 501 }, thresholds, 0.1).checks.find((c) => !c.passed)?.name).toBe("p95 latency");
    expect(evaluateCapacity({ ...m, errorRate: 0.011 }, thresholds, 0.1).checks.find((c) => !c.passed)?.name).toBe("error rate");
    expect(evaluateCapacity({ ...m, rps: 9 }, thresholds, 0.1).checks.find((c) => !c.passed)?.name).toBe("throughput");
    expect(evaluateCapacity({ ...m, requests: 0 }, thresholds, 0.1).passed).toBe(false);
  });

  it("fails a regression beyond the tolerance against the baseline, and accepts one within it", () => {
    const baseline = recordBaseline({ p95Ms: 180, errorRate: 0.001, rps: 110, requests: 6000 }, new Date("2026-11-01T00:00:00Z"), "sha256:abc");
    // 200 <= 180*1.1 = 198? No: a 11% latency regression fails.
    const slower = evaluateCapacity(m, thresholds, 0.1, baseline);
    expect(slower.passed).toBe(false);
    expect(slower.checks.find((c) => c.name === "p95 vs baseline")).toMatchObject({ passed: false });
    expect(slower.checks.find((c) => c.name === "p95 vs baseline")?.detail).toMatch(/200\.0 ms vs baseline 180\.0 ms \(allowed up to 198\.0 ms\)/);
    // Within 10%: passes.
    expect(evaluateCapacity({ ...m, p95Ms: 195, rps: 100 }, thresholds, 0.1, baseline).passed).toBe(true);
    // Throughput down 20%: fails.
    expect(evaluateCapacity({ ...m, p95Ms: 180, rps: 88 }, thresholds, 0.1, baseline).checks.find((c) => !c.passed)?.name).toBe("throughput vs baseline");
    // Error rate: tolerance is a share of the error budget (0.1 × 1% = 0.1 point over the baseline's 0.1%).
    expect(evaluateCapacity({ ...m, p95Ms: 180, rps: 110, errorRate: 0.002 }, thresholds, 0.1, baseline).passed).toBe(true);
    expect(evaluateCapacity({ ...m, p95Ms: 180, rps: 110, errorRate: 0.0025 }, thresholds, 0.1, baseline).checks.find((c) => !c.passed)?.name).toBe("error rate vs baseline");
  });
});

describe("baseline files", () => {
  it("round-trips and rejects foreign files clearly", () => {
    const b = recordBaseline({ p95Ms: 180, errorRate: 0, rps: 110, requests: 10 }, new Date("2026-11-01T00:00:00Z"));
    expect(parseBaseline(JSON.stringify(b), "reports/capacity-baseline.json")).toEqual(b);
    expect(() => parseBaseline(JSON.stringify(realSummaryExport), "reports/capacity-baseline.json")).toThrow(/reports\/capacity-baseline\.json: .*delete it to record a new one/);
  });
});

describe("runCapacityTest", () => {
  it("runs k6 against the given endpoint and records a new baseline when it passes", async () => {
    const runK6 = vi.fn(async () => ({ exitCode: 0, summary: summaryWith(120, 0, 50) }));
    const r = await runCapacityTest(runK6, { script: "load/k6.js", thresholds, tolerance: 0.1 }, "https://gamma.example.com", {
      now: new Date("2026-11-26T09:00:00Z"),
      digest: "sha256:feed",
    });
    expect(runK6).toHaveBeenCalledWith({ script: "load/k6.js", endpoint: "https://gamma.example.com" });
    expect(r.verdict.passed).toBe(true);
    expect(r.newBaseline).toEqual({ version: 1, recordedAt: "2026-11-26T09:00:00.000Z", digest: "sha256:feed", metrics: { p95Ms: 120, errorRate: 0, rps: 50, requests: 1000 } });
    expect(r.report).toMatch(/capacity test passed \(no baseline yet\)/);
  });

  it("fails on regression and keeps the old baseline", async () => {
    const old = recordBaseline({ p95Ms: 100, errorRate: 0, rps: 50, requests: 1000 }, new Date("2026-11-01T00:00:00Z"));
    const r = await runCapacityTest(async () => ({ exitCode: 99, summary: summaryWith(130, 0, 50) }), { script: "k6.js", thresholds, tolerance: 0.1 }, "https://g", {
      baseline: { text: JSON.stringify(old), file: "baseline.json" },
      now: new Date("2026-11-26T09:00:00Z"),
    });
    expect(r.verdict.passed).toBe(false);
    expect(r.newBaseline).toBeUndefined();
    expect(r.report).toMatch(/FAIL p95 vs baseline/);
    expect(r.report).toMatch(/exit code 99/);
  });

  it("refuses a broken baseline before starting any load", async () => {
    const runK6 = vi.fn();
    await expect(
      runCapacityTest(runK6, { script: "k6.js", thresholds, tolerance: 0.1 }, "https://g", { baseline: { text: "nope", file: "b.json" }, now: new Date() }),
    ).rejects.toThrow(/b\.json: not JSON/);
    expect(runK6).not.toHaveBeenCalled();
  });
});

describe("k6Args", () => {
  it("always exports the summary and writes points only when asked", () => {
    expect(k6Args({ script: "load/k6.js", endpoint: "https://g" })).toEqual(["k6", "run", "--no-color", "--summary-export=/tmp/dpra-k6-summary.json", "/src/load/k6.js"]);
    expect(k6Args({ script: "k6.js", endpoint: "https://g", points: true })).toContain("json=/tmp/dpra-k6-points.ndjson");
  });
});
