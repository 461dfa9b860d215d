// Level 4 (unit): the `real: <component> <version> N passed, N skipped` lines and the CI rule.
import { describe, expect, it } from "vitest";
import { EXPECTED_COMPONENTS, realSummary, type ComponentTally } from "../support/real-reporter.js";

const tally = (component: string, passed: number, skipped = 0, version = "1.0.0"): ComponentTally => ({ component, version, passed, failed: 0, skipped });

describe("real-component summary", () => {
  it("prints one line per component with its version and counts", () => {
    const { lines, problems } = realSummary([tally("flyway", 3, 0, "11.7.2"), tally("moto", 2, 1, "")], false);
    expect(lines).toEqual(["real: flyway 11.7.2 3 passed, 0 skipped", "real: moto (version unknown) 2 passed, 1 skipped"]);
    expect(problems).toEqual([]);
  });

  it("under CI fails on a skipped test and on an expected component without a passed test", () => {
    const all = EXPECTED_COMPONENTS.map((c) => tally(c, 1));
    expect(realSummary(all, true).problems).toEqual([]);
    const { problems } = realSummary([...all.filter((t) => t.component !== "flyway"), tally("flyway", 0, 2)], true);
    expect(problems).toEqual(["flyway: 2 test(s) skipped; under CI=true every real-component test runs", "flyway: no real-component test passed; CI must exercise it"]);
  });
});
