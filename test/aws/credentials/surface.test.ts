import { describe, expect, it } from "vitest";
import { introspect, listModules, type SurfaceArgument } from "../../support/surface.js";

// One credentials model: every function of the root module that calls AWS takes the same optional
// credential arguments, with the same types and the same help text (read from the module surface
// the Dagger SDK's own introspector produces, offline).
const AWS_FUNCTIONS = ["deploy", "diff", "canary", "publish", "promote", "ensureRepository", "release"];
const CREDENTIALS = ["awsAccessKeyId", "awsSecretAccessKey", "awsSessionToken", "awsWebIdentityToken", "awsRoleArn", "awsProfileFile", "awsProfile"];

describe("AWS credential arguments", () => {
  it("are the same in every AWS function: names, types, optionality and help text", async () => {
    const root = listModules().find((m) => m.name === "dpra")!;
    const surface = await introspect(root);
    const dpra = surface.objects.find((o) => o.name === "Dpra")!;
    const credentialArgs = (fn: string): SurfaceArgument[] => {
      const f = dpra.functions.find((x) => x.name === fn);
      expect(f, `function ${fn}`).toBeDefined();
      return f!.arguments.filter((a) => a.name.startsWith("aws"));
    };
    const reference = credentialArgs("publish");
    expect(reference.map((a) => a.name)).toEqual(CREDENTIALS);
    expect(reference.map((a) => a.type)).toEqual(["Secret", "Secret", "Secret", "Secret", "String", "Secret", "String"]);
    expect(reference.every((a) => a.optional)).toBe(true);
    for (const fn of AWS_FUNCTIONS) expect(credentialArgs(fn), fn).toEqual(reference);
    // Functions that reach AWS are never cached.
    for (const fn of AWS_FUNCTIONS) expect(dpra.functions.find((x) => x.name === fn)!.cache, fn).toBe("never");
    // And no other function takes AWS credentials.
    const others = dpra.functions.filter((f) => !AWS_FUNCTIONS.includes(f.name) && f.arguments.some((a) => a.name.startsWith("aws"))).map((f) => f.name);
    expect(others).toEqual([]);
  }, 60_000);
});
