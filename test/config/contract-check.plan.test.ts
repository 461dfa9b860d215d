// Verification level 6 (plan, fake engine; not an engine run): the Dagger `config` function checks
// the config↔template contract of every AWS environment, reading each template from the source.
import { afterEach, describe, expect, it } from "vitest";
import { dag } from "@dagger.io/dagger";
import { Dpra } from "../../src/index.js";
import { FakeEngine, type Leaf } from "../support/fake-engine.js";
import { Plan } from "../support/plan.js";
import { BLUE_GREEN_SERVICE } from "../support/stack-templates.js";

let engine: FakeEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const env = (name: string, template: string) =>
  `  ${name}:\n    account: "111111111111"\n    roleArn: arn:aws:iam::111111111111:role/deploy\n    region: eu-west-1\n    stackName: app-${name}\n    template: ${template}\n`;
const YAML = `name: app\nenvironments:\n${env("gamma", "infra/gamma.yaml")}${env("prod", "infra/prod.yaml")}`;
const GOOD = `Parameters:\n  ImageUri: { Type: String }\nResources:\n${BLUE_GREEN_SERVICE}`;

function serve(templates: Record<string, string>) {
  return (leaf: Leaf): unknown => {
    const path = leaf.calls.find((c) => c.field === "file")?.args.path;
    if (leaf.field === "entries") return ["dpra.yaml", "package.json", "infra/"];
    if (leaf.field === "contents" && path === "dpra.yaml") return YAML;
    if (leaf.field === "contents" && typeof path === "string") {
      // A file the source lacks fails the query, as the engine does.
      if (!(path in templates)) throw new Error(`${path}: no such file or directory`);
      return templates[path];
    }
    return undefined;
  };
}

describe("Dpra.config checks the config↔template contract", () => {
  it("reads the gamma and the prod template and prints the config when both keep the contract", async () => {
    engine = await FakeEngine.start({ answer: serve({ "infra/gamma.yaml": GOOD, "infra/prod.yaml": GOOD }) });
    const config = JSON.parse(await engine.run(() => new Dpra(dag.directory()).config()));
    expect(config.environments.prod.deployment.strategy).toBe("ecs-blue-green");
    expect(new Plan(engine).callsNamed("file").map(({ call }) => call.args.path)).toEqual(["dpra.yaml", "infra/gamma.yaml", "infra/prod.yaml"]);
  });

  it("fails naming the prod template, the parameter nobody supplies and the strategy the template does not implement", async () => {
    const broken = GOOD.replace("Resources:", "  CodeBucket: { Type: String }\nResources:").replace("BLUE_GREEN", "ROLLING");
    engine = await FakeEngine.start({ answer: serve({ "infra/gamma.yaml": GOOD, "infra/prod.yaml": broken }) });
    const run = engine.run(() => new Dpra(dag.directory()).config());
    await expect(run).rejects.toThrow(/infra\/prod\.yaml is invalid \(2 problems\)/);
    await expect(run).rejects.toThrow(/\[prod\] Parameters\.CodeBucket: has no Default and neither dpra\.yaml nor the pipeline supplies it/);
    await expect(run).rejects.toThrow(
      /\[prod\] Resources\.Service\.Properties\.DeploymentConfiguration\.Strategy: is "ROLLING", but environments\.prod\.deployment\.strategy is ecs-blue-green, which needs Strategy BLUE_GREEN/,
    );
  });

  it("fails naming the setting when an environment's template is not in the source", async () => {
    engine = await FakeEngine.start({ answer: serve({ "infra/gamma.yaml": GOOD }) });
    await expect(engine.run(() => new Dpra(dag.directory()).config())).rejects.toThrow(
      /infra\/prod\.yaml \[?environments\.prod\.template: names infra\/prod\.yaml, which cannot be read from the source \(.*no such file or directory/,
    );
  });
});
