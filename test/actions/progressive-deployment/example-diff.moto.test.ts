// Level 2 (moto over HTTP): a preview (the code path of `diff`) of the bundled example's gamma
// environment, as examples/fruit-api/dpra.yaml configures it, with its real template: the
// project's config loader and deployEnvironment with the real CloudFormation and CloudWatch SDK
// clients against moto_server 5.2.1 (test/support/moto.ts). moto is an emulator, not AWS.
//
// Only the preview runs here. moto 5.2.1 accepts the CREATE change set although the example does
// not supply its required parameter CanaryCodeBucket (issue 12), and refuses only at
// ExecuteChangeSet ("ValidationError: Missing parameter CanaryCodeBucket", found by trying); AWS
// refuses such a change set at CreateChangeSet. So this preview passing says nothing about
// whether the example's parameters are complete.
import { readFileSync } from "node:fs";
import path from "node:path";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { findChangeSet } from "../../../src/aws/cloudformation/changeset.js";
import { countStackResources, describeStack } from "../../../src/aws/cloudformation/stack.js";
import { deployEnvironment } from "../../../src/actions/progressive-deployment/deploy.js";
import { parseConfig } from "../../../src/config/load.js";
import { repoRoot } from "../../support/fixtures.js";
import { motoClientConfig, resolveMoto, useMoto } from "../../support/moto.js";
import { describeReal } from "../../support/real.js";

const EXAMPLE = path.join(repoRoot, "examples", "fruit-api");

describeReal(
  "moto",
  () => {
    const moto = useMoto();

    it("a preview of the example's gamma environment creates and describes a CREATE change set of every resource of its template, and executes nothing", async () => {
      const config = parseConfig(readFileSync(path.join(EXAMPLE, "dpra.yaml"), "utf8"), "examples/fruit-api/dpra.yaml");
      const gamma = config.environments?.gamma;
      if (!gamma || !("stackName" in gamma)) throw new Error("examples/fruit-api/dpra.yaml: environments.gamma is not an AWS environment");
      const templateBody = readFileSync(path.join(EXAMPLE, gamma.template), "utf8");
      // The CloudFormation tags (!Ref, !Sub, ...) are not needed to list the resources.
      const resources = (parseYaml(templateBody, { logLevel: "silent" }) as { Resources: Record<string, { Type: string; Condition?: string }> }).Resources;
      const region = gamma.region ?? gamma.waves?.[0]?.regions[0] ?? "";
      const clients = { cloudFormation: new CloudFormationClient(motoClientConfig(moto(), region)), cloudWatch: new CloudWatchClient(motoClientConfig(moto(), region)) };
      const lines: string[] = [];

      const result = await deployEnvironment({
        envName: "gamma",
        env: gamma,
        clientsFor: () => clients,
        templateBody,
        image: `${gamma.account}.dkr.ecr.${region}.amazonaws.com/fruit-api@sha256:${"e".repeat(64)}`,
        runId: "run-1",
        preview: true,
        pollMs: 50,
        log: (l) => lines.push(l),
      });

      expect(result.status).toBe("preview");
      const [report] = result.regions;
      expect(report).toMatchObject({ region, status: "preview", stack: { stackStatus: "REVIEW_IN_PROGRESS", changeSetName: "dpra-run-1" } });
      const changes = report?.stack?.diff?.changes ?? [];
      expect(changes.every((c) => c.action === "Add")).toBe(true);
      const unconditional = Object.entries(resources).filter(([, r]) => r.Condition === undefined);
      expect(changes.map((c) => [c.logicalId, c.resourceType])).toEqual(expect.arrayContaining(unconditional.map(([id, r]) => [id, r.Type])));
      expect(changes.every((c) => resources[c.logicalId]?.Type === c.resourceType)).toBe(true);
      expect(lines).toContain(`[${region} ${gamma.stackName}] Stack ${gamma.stackName} (${region}), change set dpra-run-1: ${changes.length} to add, 0 to modify, 0 to remove`);

      expect((await findChangeSet(clients.cloudFormation, gamma.stackName, "dpra-run-1"))?.ExecutionStatus).toBe("AVAILABLE");
      expect((await describeStack(clients.cloudFormation, gamma.stackName))?.StackStatus).toBe("REVIEW_IN_PROGRESS");
      expect(await countStackResources(clients.cloudFormation, gamma.stackName)).toBe(0);
    });
  },
  resolveMoto,
);
