/**
 * A k6 1.x `--summary-export` document, abridged to the metrics dpra reads plus a few others.
 * Values are from a real k6 run published in pwrdrvr/lambda-dispatch's benchmark PR comment
 * (summaryExportField of "Deploy K6 Raw JSON"); only the metric subset was taken.
 */
export const realSummaryExport = {
  root_group: { groups: {}, checks: {}, name: "", path: "", id: "d41d8cd98f00b204e9800998ecf8427e" },
  metrics: {
    http_req_failed: { passes: 0, fails: 1587, value: 0 },
    http_req_duration: {
      avg: 3.8487845677378676,
      min: 1.523364,
      med: 3.558046,
      max: 21.068284,
      "p(90)": 5.2534876000000015,
      "p(95)": 7.593239699999984,
    },
    http_reqs: { count: 1587, rate: 528.3735309289374 },
    iterations: { rate: 528.3735309289374, count: 1587 },
    vus_max: { value: 15, min: 10, max: 15 },
    dropped_iterations: { count: 17, rate: 5.6599559078714154 },
  },
};

export function summaryWith(p95: number, errorRate: number, rps: number, count = 1000): string {
  return JSON.stringify({
    ...realSummaryExport,
    metrics: {
      ...realSummaryExport.metrics,
      http_req_duration: { ...realSummaryExport.metrics.http_req_duration, "p(95)": p95 },
      http_req_failed: { passes: Math.round(errorRate * count), fails: count - Math.round(errorRate * count), value: errorRate },
      http_reqs: { count, rate: rps },
    },
  });
}
