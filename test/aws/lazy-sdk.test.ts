import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/fixtures.js";

// The Dagger runtime imports every .ts file under src/ on each call, and each AWS SDK client takes
// about 0.3-0.4 s to load. Nothing under src/ loads the SDK until a function needs it (src/aws/sdk.ts,
// src/aws/synthetics/sdk.ts, and the FIS client's own lazy import).
const folders = ["src"];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? tsFiles(full) : full.endsWith(".ts") ? [full] : [];
  });
}

describe("AWS SDK loading", () => {
  it("has no static value import of an AWS SDK package (only `import type` and lazy import())", () => {
    const offenders: string[] = [];
    for (const folder of folders) {
      for (const file of tsFiles(path.join(repoRoot, folder))) {
        const text = readFileSync(file, "utf8");
        for (const m of text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+"(@aws-sdk\/[^"]+)"/gms)) {
          offenders.push(`${path.relative(repoRoot, file)}: ${m[1]}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe("lazily loaded clients", () => {
  it("still work: an ECR registry's client is made on the first call, once", async () => {
    const { ecrRegistry } = await import("../../src/aws/ecr/client.js");
    const reg = ecrRegistry({ credentials: async () => ({ accessKeyId: "AKIDTEST", secretAccessKey: "s" }), principal: "test" }, "123456789012", "eu-west-1");
    const first = await reg.sdkClient();
    expect(first.constructor.name).toBe("ECRClient");
    expect(await reg.sdkClient()).toBe(first);
    expect(await first.config.region()).toBe("eu-west-1");
  });
});
