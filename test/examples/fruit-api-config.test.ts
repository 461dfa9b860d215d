import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";

const exampleDir = path.resolve(import.meta.dirname, "..", "..", "examples", "fruit-api");
const config = parseConfig(readFileSync(path.join(exampleDir, "dpra.yaml"), "utf8"), "examples/fruit-api/dpra.yaml");

describe("examples/fruit-api/dpra.yaml", () => {
  it("validates against the dpra.yaml schema and names the app", () => {
    expect(config.name).toBe("fruit-api");
    expect(config.build).toMatchObject({ preset: "node", packageManager: "npm", dockerfile: "Dockerfile" });
    expect(config.database).toMatchObject({ tool: "dbmate", migrations: "db/migrations", name: "fruits" });
    // The AWS DB deploy defaults match the example template (checked in test/actions/db-deploy/task-target.test.ts).
    expect(config.database?.aws).toMatchObject({ migrationImageParameter: "MigrationImageUri", clusterOutput: "ClusterName" });
  });

  it("configures all three environments with account, region or waves, role and stack", () => {
    expect(config.environments.beta).toMatchObject({ healthPath: "/health/ready", port: 8080 });
    expect(config.environments.gamma).toMatchObject({ account: "222222222222", region: "us-east-1", stackName: "fruit-api-gamma" });
    expect(config.environments.gamma?.roleArn).toMatch(/^arn:aws:iam::222222222222:role\//);
    expect(config.environments.prod).toMatchObject({ account: "333333333333", stackName: "fruit-api-prod" });
    expect(config.environments.prod?.waves?.map((w) => w.regions)).toEqual([["us-east-1"], ["us-west-2", "eu-west-1"]]);
    for (const env of [config.environments.gamma, config.environments.prod]) {
      expect(env?.deployment.strategy).toBe("ecs-blue-green");
      expect(env?.template).toBe("infra/template.yaml");
    }
  });

  it("points at files that exist in the example", () => {
    const paths = [
      config.build.dockerfile,
      config.database?.migrations,
      config.environments.gamma?.template,
      config.synthetics?.script,
      config.capacity?.script,
      config.environments.prod?.template,
    ];
    for (const relative of paths) {
      expect(relative, "path set in dpra.yaml").toBeDefined();
      expect(existsSync(path.join(exampleDir, relative as string)), relative).toBe(true);
    }
  });

  it("runs the E2E suite, with its browser journey, in the pinned Playwright image", () => {
    expect(config.tests.e2e?.playwright).toBe(true);
  });

  it("runs each test suite through an npm script the example defines", () => {
    const scripts = (JSON.parse(readFileSync(path.join(exampleDir, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    for (const suite of [config.tests.unit, config.tests.integration, config.tests.e2e]) {
      const script = suite?.command.match(/^npm run ([\w:-]+)$/)?.[1];
      expect(script, suite?.command).toBeDefined();
      expect(scripts[script as string], `npm script ${script}`).toContain("--outputFile.junit=" + suite?.reports[0]);
    }
  });
});
