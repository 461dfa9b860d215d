// Level 4 (fixture unit test): the canary's code package per Synthetics runtime family, as AWS
// documents each one (cited in src/aws/synthetics/package.ts and docs/gamma-prod.md):
// syn-nodejs-puppeteer loads the handler file from nodejs/node_modules/, syn-nodejs-playwright from
// the root of the archive. The entry paths are read back from the ZIP's central directory.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HANDLER_FOLDER, packageNodeCanary } from "../../../src/aws/synthetics/package.js";
import type { RuntimeFamily } from "../../../src/aws/synthetics/runtime.js";
import { canarySpecFrom } from "../../../src/aws/synthetics/spec.js";
import { parseConfig } from "../../../src/config/load.js";
import { SyntheticsConfig } from "../../../src/config/sections/verification.js";
import { repoRoot } from "../../support/fixtures.js";
import { readZip } from "./read-zip.js";

const entries = (zip: Uint8Array) => readZip(zip).map((e) => e.name);

describe("packageNodeCanary, per runtime family", () => {
  it("syn-nodejs-playwright: the handler file at the root of the archive", () => {
    const code = packageNodeCanary("synthetics/smoke.js", "exports.handler = async () => {};", "canary.handler", "syn-nodejs-playwright");
    expect(code.entryPath).toBe("canary.js");
    expect(code.handler).toBe("canary.handler");
    expect(entries(code.zipFile)).toEqual(["canary.js"]);
    expect(entries(packageNodeCanary("c.mjs", "export const handler = async () => {};", "smoke.handler", "syn-nodejs-playwright").zipFile)).toEqual(["smoke.mjs"]);
  });

  it("syn-nodejs-puppeteer: the handler file under nodejs/node_modules/", () => {
    const code = packageNodeCanary("synthetics/smoke.mjs", "export const handler = async () => {};", "canary.handler", "syn-nodejs-puppeteer");
    expect(code.entryPath).toBe("nodejs/node_modules/canary.mjs");
    expect(entries(code.zipFile)).toEqual(["nodejs/node_modules/canary.mjs"]);
    const [entry] = readZip(code.zipFile);
    expect(entry?.data.toString("utf8")).toBe("export const handler = async () => {};");
  });

  it("has a layout for every runtime family dpra.yaml offers", () => {
    const offered = SyntheticsConfig.shape.runtime.unwrap().options as readonly RuntimeFamily[];
    expect([...offered].sort()).toEqual(Object.keys(HANDLER_FOLDER).sort());
  });

  it("rejects a handler without a function (saying where the file goes), a non-JS script and an empty script", () => {
    expect(() => packageNodeCanary("c.js", "x", "canary", "syn-nodejs-playwright")).toThrow(
      /<file>\.<function>.*for syn-nodejs-playwright the file is placed at the root of the archive/,
    );
    expect(() => packageNodeCanary("c.js", "x", "canary", "syn-nodejs-puppeteer")).toThrow(/for syn-nodejs-puppeteer the file is placed in nodejs\/node_modules\//);
    expect(() => packageNodeCanary("c.ts", "x", "canary.handler", "syn-nodejs-playwright")).toThrow(/\.js or \.mjs/);
    expect(() => packageNodeCanary("c.js", "", "canary.handler", "syn-nodejs-playwright")).toThrow(/empty/);
  });

  it("the example's Playwright canary is packaged as canary.js at the root, with handler canary.handler", () => {
    const example = path.join(repoRoot, "examples", "fruit-api");
    const config = parseConfig(readFileSync(path.join(example, "dpra.yaml"), "utf8"), "examples/fruit-api/dpra.yaml");
    const synthetics = config.synthetics!;
    expect(synthetics.runtime).toBe("syn-nodejs-playwright");
    const script = readFileSync(path.join(example, synthetics.script), "utf8");
    const outputs = { EndpointUrl: "http://lb.example", CanaryRoleArn: "arn:aws:iam::222222222222:role/canary", CanaryArtifactsLocation: "s3://fruit-canary-artifacts/gamma" };
    const { spec } = canarySpecFrom(synthetics, script, { name: "fruit-api-gamma", outputs });
    expect({ handler: spec.code.handler, entries: entries(spec.code.zipFile) }).toEqual({ handler: "canary.handler", entries: ["canary.js"] });
  });
});
