import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/errors.js";
import { parseConfig, resolveConfig } from "../../src/config/load.js";
import { dpraJsonSchema } from "../../src/config/schema.js";
import { repoRoot } from "../support/fixtures.js";

const invalid = (name: string) => readFileSync(path.join(repoRoot, "test", "config", "invalid", name), "utf8");

function problemsOf(text: string, file = "dpra.yaml") {
  try {
    parseConfig(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error("expected the config to be rejected");
}

describe("dpra.yaml validation", () => {
  it("accepts an empty file and applies the defaults", () => {
    const config = parseConfig("");
    expect(config.version).toBe(1);
    expect(config.build.dockerfile).toBe("Dockerfile");
    expect(config.policy.failOn).toMatchObject({ secret: "low", vulnerability: "high", license: "never" });
    expect(config.environments.beta).toMatchObject({ healthPath: "/health/ready", port: 8080 });
  });

  it("lists every problem with its path, line, expectation and what was found", () => {
    const err = problemsOf(invalid("wrong-types.yaml"));
    const byPath = Object.fromEntries(err.problems.map((p) => [p.path, p]));
    expect(Object.keys(byPath).sort()).toEqual(["build.dockerfile", "build.preset", "environments.prod.account", "environments.prod.roleArn", "name"].sort());
    expect(byPath["name"]).toMatchObject({ line: 1, found: '"Fruit API"' });
    expect(byPath["build.preset"]!.message).toMatch(/node.*java-maven.*generic/);
    expect(byPath["build.preset"]).toMatchObject({ line: 3, found: '"rust"' });
    expect(byPath["build.dockerfile"]!.message).toMatch(/relative to the application source/);
    expect(byPath["environments.prod.account"]).toMatchObject({ line: 7, found: "number 12345" });
    expect(byPath["environments.prod.account"]!.message).toMatch(/12-digit AWS account ID/);
    expect(byPath["environments.prod.roleArn"]!.message).toMatch(/IAM role ARN/);
    expect(err.message).toMatch(/^dpra\.yaml is invalid \(5 problems\)/);
    expect(err.message).toContain("dpra.yaml:3:");
  });

  it("names unknown keys so typos are caught", () => {
    const err = problemsOf(invalid("unknown-keys.yaml"));
    expect(err.problems.map((p) => [p.path, p.line])).toEqual([
      ["bulid", 1],
      ["policy.failOn.secrets", 5],
    ]);
    expect(err.problems[0]!.message).toMatch(/unknown key/);
  });

  it("checks environments: region xor waves, and waves hold lists of regions", () => {
    const err = problemsOf(invalid("waves.yaml"));
    const paths = err.problems.map((p) => p.path);
    expect(paths).toContain("environments.gamma.waves[0].regions");
    expect(paths).toContain("environments.gamma.region");
    expect(paths).toContain("environments.prod.region");
    const regions = err.problems.find((p) => p.path === "environments.gamma.waves[0].regions")!;
    expect(regions).toMatchObject({ line: 8, found: '"eu-west-1"' });
    expect(err.problems.find((p) => p.path === "environments.prod.region")!.message).toMatch(/either `region` or `waves`/);
  });

  it("says which required field is missing", () => {
    const err = problemsOf('environments:\n  prod:\n    account: "222222222222"\n    region: eu-west-1\n    stackName: app-prod\n');
    expect(err.problems).toEqual([expect.objectContaining({ path: "environments.prod.roleArn", message: "required field is missing (expected string)", found: undefined })]);
  });

  it("requires a reason, a date and a rule or fingerprint on allowlist entries", () => {
    const err = problemsOf(invalid("allowlist.yaml"));
    const messages = err.problems.map((p) => `${p.path}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^policy\.allowlist\[0\]\.reason: expected a reason/),
        expect.stringMatching(/^policy\.allowlist\[0\]\.expires: expected a date as YYYY-MM-DD/),
        expect.stringMatching(/^policy\.allowlist\[1\]: an allowlist entry needs a rule or a fingerprint/),
      ]),
    );
  });

  it("reports YAML syntax errors with their position", () => {
    const err = problemsOf(invalid("not-yaml.yaml"), "app/dpra.yaml");
    expect(err.problems[0]!.path).toBe("(yaml)");
    expect(err.problems[0]!.line).toBeGreaterThanOrEqual(2);
    expect(err.message).toMatch(/^app\/dpra\.yaml is invalid/);
  });
});

describe("defaults detected from the source", () => {
  it("detects the node preset and the package manager from the lockfile", () => {
    expect(resolveConfig(undefined, ["package.json", "yarn.lock"]).build).toMatchObject({ preset: "node", packageManager: "yarn" });
    expect(resolveConfig(undefined, ["package.json", "pnpm-lock.yaml"]).build.packageManager).toBe("pnpm");
    expect(resolveConfig(undefined, ["package.json"]).build.packageManager).toBe("npm");
  });

  it("detects Maven and keeps explicit settings over detection", () => {
    expect(resolveConfig(undefined, ["pom.xml"]).build.preset).toBe("java-maven");
    expect(resolveConfig("build:\n  packageManager: npm\n", ["package.json", "yarn.lock"]).build.packageManager).toBe("npm");
  });

  it("assumes dbmate migrations when the source has a db/ folder and no database section", () => {
    expect(resolveConfig(undefined, ["package.json", "db/"]).database).toMatchObject({ tool: "dbmate", migrations: "db/migrations" });
    expect(resolveConfig(undefined, ["package.json"]).database).toBeUndefined();
  });

  it("explains what to set when nothing can be detected", () => {
    expect(() => resolveConfig(undefined, ["main.go"])).toThrow(/build\.preset is not set and could not be detected.*Set build\.preset/s);
    expect(() => resolveConfig("build:\n  preset: generic\n", [])).toThrow(/build\.image is required for the generic preset/);
  });
});

describe("JSON Schema for editors", () => {
  it("is committed and current (regenerate with npm run schema:update)", () => {
    const committed = JSON.parse(readFileSync(path.join(repoRoot, "schema", "dpra.schema.json"), "utf8"));
    expect(committed).toEqual(JSON.parse(JSON.stringify(dpraJsonSchema())));
  });

  it("describes the sections and rejects unknown keys", () => {
    const schema = dpraJsonSchema() as { properties: Record<string, unknown>; additionalProperties?: unknown };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["build", "tests", "policy", "artifact", "database", "environments", "synthetics", "approval"]));
    expect(schema.additionalProperties).toBe(false);
  });
});
