// Verification level 4: fixture unit test of the config↔template contract and its `dpra plan` wiring.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { planCommand } from "../../src/cli/commands/plan.js";
import { parseCloudFormationTemplate } from "../../src/config/template.js";
import { checkContract, evaluateCondition } from "../../src/config/contract.js";
import { resolveConfig } from "../../src/config/load.js";

const fixture = (name: string) => new URL(`../fixtures/contract/${name}`, import.meta.url);
const config = resolveConfig(readFileSync(fixture("dpra.yaml"), "utf8"), ["package.json", "db/"], "dpra.yaml");
const template = (name: string) => parseCloudFormationTemplate(readFileSync(fixture(name), "utf8"), name);

describe("checkContract", () => {
  it("accepts a template that declares, defaults and outputs everything", () => {
    expect(checkContract(config, "gamma", template("clean.yaml"), "clean.yaml")).toEqual([]);
  });

  it("names every planted defect with the file and what to do", () => {
    const problems = checkContract(config, "gamma", template("defects.yaml"), "defects.yaml");
    expect(problems.map((p) => p.path)).toEqual([
      "Parameters.CodeBucket",
      "environments.gamma.parameters.Size",
      "Outputs.CanaryRoleArn",
      "Outputs.CanaryArtifactsLocation",
      "Outputs.MigrationTaskDefinitionArn",
    ]);
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(byPath["Parameters.CodeBucket"]).toMatch(/no Default .* add a Default in defects\.yaml or set environments\.gamma\.parameters\.CodeBucket/);
    expect(byPath["environments.gamma.parameters.Size"]).toMatch(/defects\.yaml declares no such parameter/);
    expect(byPath["Outputs.CanaryRoleArn"]).toMatch(/Condition IsProd is false/);
    expect(byPath["Outputs.CanaryArtifactsLocation"]).toMatch(/Condition ImageIsX cannot be decided/);
    expect(byPath["Outputs.MigrationTaskDefinitionArn"]).toMatch(/database\.aws\.taskDefinitionOutput .* no such output/);
  });
});

describe("the migration task's network outputs", () => {
  const withNetwork = (aws: string) =>
    resolveConfig(
      readFileSync(fixture("dpra.yaml"), "utf8").replace("database: { tool: dbmate }\n", `database:\n  tool: dbmate\n  aws:\n${aws}`),
      ["package.json", "db/"],
      "dpra.yaml",
    );

  it("requires the output that database.aws.assignPublicIp reads, naming the field", () => {
    const problems = checkContract(withNetwork("    assignPublicIp: { output: MigrationAssignPublicIp }\n"), "gamma", template("clean.yaml"), "clean.yaml");
    expect(problems).toEqual([
      {
        path: "Outputs.MigrationAssignPublicIp",
        message:
          "is read by dpra.yaml database.aws.assignPublicIp.output but clean.yaml has no such output; add the output to the template or set database.aws.assignPublicIp.output to an existing one",
      },
    ]);
  });

  it("reads no subnet or security-group output when dpra.yaml lists the IDs", () => {
    const literal = withNetwork("    subnets: [subnet-0123456789abcdef0]\n    securityGroups: [sg-0123456789abcdef0]\n    assignPublicIp: ENABLED\n");
    const body = readFileSync(fixture("clean.yaml"), "utf8").replace(/^ {2}MigrationSubnetIds:.*\n^ {2}MigrationSecurityGroupId:.*\n/m, "");
    expect(body).not.toContain("MigrationSubnetIds");
    expect(checkContract(literal, "gamma", parseCloudFormationTemplate(body, "clean.yaml"), "clean.yaml")).toEqual([]);
    expect(checkContract(config, "gamma", parseCloudFormationTemplate(body, "clean.yaml"), "clean.yaml").map((p) => p.path)).toEqual([
      "Outputs.MigrationSubnetIds",
      "Outputs.MigrationSecurityGroupId",
    ]);
  });
});

describe("evaluateCondition", () => {
  const known = new Map([["Env", "prod"]]);
  it("evaluates Equals, Not, And, Or and Condition on known values, undefined otherwise", () => {
    const conds = { IsProd: { "Fn::Equals": [{ Ref: "Env" }, "prod"] } };
    expect(evaluateCondition({ Condition: "IsProd" }, known, conds)).toBe(true);
    expect(evaluateCondition({ "Fn::Not": [{ Condition: "IsProd" }] }, known, conds)).toBe(false);
    expect(evaluateCondition({ "Fn::Or": [{ "Fn::Equals": [{ Ref: "Img" }, "x"] }, { Condition: "IsProd" }] }, known, conds)).toBe(true);
    expect(evaluateCondition({ "Fn::And": [{ "Fn::Equals": [{ Ref: "Img" }, "x"] }, { Condition: "IsProd" }] }, known, conds)).toBeUndefined();
  });
});

describe("dpra plan checks the contract", () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), cwd: process.cwd() } };
  };
  const app = (templateFixture: string) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "dpra-contract-"));
    cpSync(fixture("dpra.yaml"), path.join(dir, "dpra.yaml"));
    writeFileSync(path.join(dir, "package.json"), "{}\n");
    mkdirSync(path.join(dir, "infra"));
    cpSync(fixture(templateFixture), path.join(dir, "infra", "template.yaml"));
    return dir;
  };

  it("exits 0 on the clean template", async () => {
    const t = io();
    expect(await planCommand(["--source", app("clean.yaml"), "--env", "gamma"], t.io)).toBe(0);
    expect(t.err).toEqual([]);
  });

  it("exits 2 naming the template and the violation", async () => {
    const t = io();
    expect(await planCommand(["--source", app("defects.yaml"), "--env", "gamma"], t.io)).toBe(2);
    expect(t.err.join("")).toMatch(/infra\/template\.yaml .*\[gamma\] Parameters\.CodeBucket: has no Default/);
  });

  it("does not check templates for a beta-only plan", async () => {
    expect(await planCommand(["--source", app("defects.yaml")], io().io)).toBe(0);
  });

  it("the bundled example keeps the contract for gamma and prod (its canary parameters and outputs were its defects)", async () => {
    for (const env of ["gamma", "prod"]) {
      const t = io();
      const code = await planCommand(["--source", "examples/fruit-api", "--env", env], t.io);
      expect({ env, code, err: t.err.join("") }).toEqual({ env, code: 0, err: "" });
    }
  });

  it("dpra plan --env prod refuses a copy of the example whose service is not the ecs-blue-green that dpra.yaml says", async () => {
    const example = path.join("examples", "fruit-api");
    const dir = mkdtempSync(path.join(os.tmpdir(), "dpra-strategy-"));
    cpSync(example, dir, { recursive: true, filter: (from) => path.basename(from) !== "node_modules" });
    const templateFile = path.join(dir, "infra", "template.yaml");
    const body = readFileSync(templateFile, "utf8");
    expect(body.match(/Strategy: BLUE_GREEN/g)).toHaveLength(1);
    expect(readFileSync(path.join(dir, "dpra.yaml"), "utf8")).toMatch(/prod:[\s\S]*strategy: ecs-blue-green/);
    writeFileSync(templateFile, body.replace("Strategy: BLUE_GREEN", "Strategy: ROLLING"));
    const t = io();
    const code = await planCommand(["--source", dir, "--env", "prod"], t.io).finally(() => rmSync(dir, { recursive: true, force: true }));
    const strategyLines = t.err
      .join("")
      .split("\n")
      .filter((l) => l.includes("DeploymentConfiguration"));
    // The first environment with a violation stops the check, so gamma (prod's first stage) is named.
    expect({ code, strategyLines }).toEqual({
      code: 2,
      strategyLines: [
        `  - ${templateFile} [gamma] Resources.Service.Properties.DeploymentConfiguration.Strategy: is "ROLLING", but environments.gamma.deployment.strategy is ecs-blue-green, which needs Strategy BLUE_GREEN; set it in infra/template.yaml or change environments.gamma.deployment.strategy to the strategy the template implements`,
      ],
    });
  });
});

describe("the bundled example's deployment.strategy", () => {
  const dir = path.join("examples", "fruit-api");
  const yaml = readFileSync(path.join(dir, "dpra.yaml"), "utf8");
  const exampleTemplate = parseCloudFormationTemplate(readFileSync(path.join(dir, "infra", "template.yaml"), "utf8"), "infra/template.yaml");
  const listing = ["package.json", "db/", "infra/", "canary/", "tests/"];

  it("is implemented by its template for gamma and prod (BLUE_GREEN with alarms that roll back)", () => {
    const example = resolveConfig(yaml, listing, "dpra.yaml");
    expect(example.environments.gamma?.deployment.strategy).toBe("ecs-blue-green");
    for (const env of ["gamma", "prod"] as const) expect(checkContract(example, env, exampleTemplate, "infra/template.yaml").map((p) => p.path)).toEqual([]);
  });

  it("is refused when dpra.yaml says rolling: the template's BLUE_GREEN service is named", () => {
    const rolling = resolveConfig(yaml.replace(/strategy: ecs-blue-green/g, "strategy: rolling"), listing, "dpra.yaml");
    expect(checkContract(rolling, "gamma", exampleTemplate, "infra/template.yaml").map((p) => p.path)).toEqual([
      "Resources.Service.Properties.DeploymentConfiguration.Strategy",
      "Resources.Service.Properties.DeploymentConfiguration.DeploymentCircuitBreaker.Enable",
      "Resources.Service.Properties.DeploymentConfiguration.DeploymentCircuitBreaker.Rollback",
    ]);
  });
});
