// Verification level 4: fixture unit test of the `deployment.strategy` rules of the config↔template
// contract (src/config/strategy-contract.ts): each strategy's template passes, and is refused under
// every other strategy, naming the resource, the property, the file and what to do.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCloudFormationTemplate } from "../../src/config/template.js";
import type { DeploymentStrategy } from "../../src/config/sections/environments.js";
import { checkStrategy } from "../../src/config/strategy-contract.js";

const template = (name: string) => parseCloudFormationTemplate(readFileSync(new URL(`../fixtures/contract/strategy/${name}`, import.meta.url), "utf8"), name);
const FIELD = "environments.gamma.deployment.strategy";
const KNOWN = new Map([
  ["AlarmRollback", "true"],
  ["Env", "gamma"],
]);
const check = (strategy: DeploymentStrategy, file: string) => checkStrategy(strategy, template(file), file, FIELD, KNOWN);
const paths = (strategy: DeploymentStrategy, file: string) => check(strategy, file).map((p) => p.path);

const FIXTURES: Record<DeploymentStrategy, string> = {
  "ecs-blue-green": "blue-green.yaml",
  "ecs-canary": "canary.yaml",
  "ecs-linear": "linear.yaml",
  rolling: "rolling.yaml",
  codedeploy: "codedeploy.yaml",
};
const STRATEGIES = Object.keys(FIXTURES) as DeploymentStrategy[];

describe("checkStrategy", () => {
  it.each(STRATEGIES)("%s: its template passes", (strategy) => {
    expect(check(strategy, FIXTURES[strategy])).toEqual([]);
  });

  it.each(STRATEGIES)("%s: every other strategy's template is refused", (strategy) => {
    for (const other of STRATEGIES.filter((s) => s !== strategy)) {
      const problems = check(strategy, FIXTURES[other]);
      expect(problems.length, `${strategy} on ${FIXTURES[other]}`).toBeGreaterThan(0);
      for (const p of problems) expect(p.message).toContain(FIXTURES[other]);
    }
  });

  it("ecs-blue-green on the ROLLING template names Strategy and the missing alarm rollback", () => {
    expect(paths("ecs-blue-green", "rolling.yaml")).toEqual([
      "Resources.Service.Properties.DeploymentConfiguration.Strategy",
      "Resources.Service.Properties.DeploymentConfiguration.Alarms.Enable",
      "Resources.Service.Properties.DeploymentConfiguration.Alarms.Rollback",
      "Resources.Service.Properties.DeploymentConfiguration.Alarms.AlarmNames",
    ]);
    expect(check("ecs-blue-green", "rolling.yaml")[0]?.message).toBe(
      `is not set, but ${FIELD} is ecs-blue-green, which needs Strategy BLUE_GREEN; set it in rolling.yaml or change ${FIELD} to the strategy the template implements`,
    );
  });

  it("ecs-canary on the LINEAR template names only the Strategy", () => {
    expect(check("ecs-canary", "linear.yaml").map((p) => [p.path, p.message.split(",")[0]])).toEqual([
      ["Resources.Service.Properties.DeploymentConfiguration.Strategy", 'is "LINEAR"'],
    ]);
  });

  it("ecs-canary resolves a Ref to a parameter default, and refuses when that default turns rollback off", () => {
    expect(check("ecs-canary", "canary.yaml")).toEqual([]);
    const off = checkStrategy("ecs-canary", template("canary.yaml"), "canary.yaml", FIELD, new Map([["AlarmRollback", "false"]]));
    expect(off.map((p) => p.path)).toEqual(["Resources.Service.Properties.DeploymentConfiguration.Alarms.Rollback"]);
    const unknown = checkStrategy("ecs-canary", template("canary.yaml"), "canary.yaml", FIELD, new Map());
    expect(unknown[0]?.message).toMatch(/neither a literal nor a Ref to a parameter with a value known before deploy/);
  });

  it("rolling refuses a service without the circuit breaker rollback", () => {
    expect(paths("rolling", "linear.yaml")).toEqual([
      "Resources.Service.Properties.DeploymentConfiguration.Strategy",
      "Resources.Service.Properties.DeploymentConfiguration.DeploymentCircuitBreaker.Enable",
      "Resources.Service.Properties.DeploymentConfiguration.DeploymentCircuitBreaker.Rollback",
    ]);
  });

  it("codedeploy refuses the ECS controller and a template without a deployment group", () => {
    expect(paths("codedeploy", "blue-green.yaml")).toEqual(["Resources.Service.Properties.DeploymentController.Type", "Resources"]);
    expect(check("codedeploy", "blue-green.yaml")[1]?.message).toMatch(/has no AWS::CodeDeploy::DeploymentGroup, and .* needs one with AutoRollbackConfiguration Enabled: true/);
  });

  it("refuses alarms without rollback, an !If strategy, and a group with rollback off; skips a service under a false Condition", () => {
    expect(paths("ecs-blue-green", "refused.yaml")).toEqual([
      "Resources.NoRollback.Properties.DeploymentConfiguration.Alarms.Rollback",
      "Resources.Undecided.Properties.DeploymentConfiguration.Strategy",
    ]);
    const withProd = checkStrategy("ecs-blue-green", template("refused.yaml"), "refused.yaml", FIELD, new Map([["Env", "prod"]]));
    expect(withProd.map((p) => p.path)).toContain("Resources.ProdOnly.Properties.DeploymentConfiguration.Strategy");
    expect(paths("codedeploy", "refused.yaml")).toContain("Resources.DeploymentGroup.Properties.AutoRollbackConfiguration");
  });

  it("refuses a template with no ECS service", () => {
    const t = parseCloudFormationTemplate("Resources:\n  Q: { Type: AWS::SQS::Queue }\n", "queue.yaml");
    expect(checkStrategy("rolling", t, "queue.yaml", FIELD, KNOWN)).toEqual([
      {
        path: "Resources",
        message: `has no AWS::ECS::Service, so nothing implements ${FIELD} rolling; add the app's ECS service to queue.yaml or deploy it with a template that has one`,
      },
    ]);
  });
});
