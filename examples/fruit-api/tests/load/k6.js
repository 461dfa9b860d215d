// k6 load test: a steady arrival rate of mixed read and write traffic. The thresholds are the
// capacity gate the pipeline enforces in Gamma (the same numbers as `capacity` in dpra.yaml);
// k6 exits non-zero when one is crossed.
//   k6 run -e BASE_URL=http://localhost:8080 tests/load/k6.js
import http from "k6/http";
import { check } from "k6";

const BASE_URL = (__ENV.BASE_URL || "http://localhost:8080").replace(/\/+$/, "");
const JSON_HEADERS = { headers: { "content-type": "application/json" } };

export const options = {
  scenarios: {
    steady: {
      executor: "constant-arrival-rate",
      rate: Number(__ENV.RATE || 20),
      timeUnit: "1s",
      duration: __ENV.DURATION || "1m",
      preAllocatedVUs: 10,
      maxVUs: 50,
    },
  },
  thresholds: {
    http_req_failed: ["rate<0.01"],
    http_req_duration: ["p(95)<500"],
    checks: ["rate>0.99"],
  },
};

export default function () {
  const list = http.get(`${BASE_URL}/api/fruits?limit=20`, { tags: { name: "list" } });
  check(list, { "list answers 200": (r) => r.status === 200 });

  const one = http.get(`${BASE_URL}/api/fruits/1`, { tags: { name: "read" } });
  check(one, { "read answers 200 or 404": (r) => r.status === 200 || r.status === 404 });

  // One iteration in ten writes: create, then delete what it created.
  if (__ITER % 10 === 0) {
    const name = `k6-${__VU}-${__ITER}-${Date.now()}`;
    const created = http.post(`${BASE_URL}/api/fruits`, JSON.stringify({ name, color: "blue" }), { ...JSON_HEADERS, tags: { name: "create" } });
    if (check(created, { "create answers 201": (r) => r.status === 201 })) {
      const removed = http.del(`${BASE_URL}/api/fruits/${created.json("id")}`, null, { tags: { name: "delete" } });
      check(removed, { "delete answers 204": (r) => r.status === 204 });
    }
  }
}
