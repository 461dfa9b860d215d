import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { ConfigError } from "../../src/config/errors.js";

describe("dpra.yaml verification sections", () => {
  it("applies the defaults for synthetics, capacity, chaos and approval", () => {
    const c = parseConfig(
      ["synthetics:", "  name: fruit_smoke", "  script: synthetics/canary.js", "capacity:", "  script: load/k6.js", "chaos:", "  experimentTemplateOutput: ChaosTemplateId"].join(
        "\n",
      ),
    );
    expect(c.synthetics).toMatchObject({
      handler: "canary.handler",
      runtime: "syn-nodejs-playwright",
      schedule: "rate(5 minutes)",
      endpointOutput: "ApiEndpoint",
      executionRoleOutput: "CanaryRoleArn",
      artifactsOutput: "CanaryArtifactsLocation",
    });
    expect(c.capacity).toMatchObject({ thresholds: { p95Ms: 500, errorRate: 0.01, minRps: 0 }, tolerance: 0.1 });
    expect(c.chaos).toMatchObject({ warmupSeconds: 60, maxExperimentMinutes: 15 });
    expect(c.approval).toEqual({ sources: ["ci-environment"], environment: "prod" });
  });

  it("refuses an empty approval source list, a chaos section without a template, and a bad runtime pin", () => {
    const bad = [
      "approval:",
      "  sources: []",
      "chaos:",
      "  maxSuccessRateDrop: 0.1",
      "synthetics:",
      "  name: s",
      "  script: c.js",
      "  runtimeVersion: syn-python-selenium-5.1",
    ].join("\n");
    let err: unknown;
    try {
      parseConfig(bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const text = String((err as Error).message);
    expect(text).toMatch(/approval\.sources.*at least one source/);
    expect(text).toMatch(/chaos\.experimentTemplateId.*either experimentTemplateId or experimentTemplateOutput/);
    expect(text).toMatch(/synthetics\.runtimeVersion.*Node\.js runtime version/);
  });
});
