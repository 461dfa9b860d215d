import { describe, expect, it } from "vitest";
import { introspect, listModules } from "../../support/surface.js";

// One credentials model, given once: the root module takes the AWS credentials in one function,
// withAws, which returns the root object for the AWS function that follows
// (`dagger call with-aws --aws-... release`). No other function, and not the constructor, takes a
// credential argument (read from the module surface the Dagger SDK's own introspector produces, offline).
const AWS_FUNCTIONS = ["deploy", "diff", "canary", "publish", "promote", "ensureRepository", "release"];
const CREDENTIALS = ["awsAccessKeyId", "awsSecretAccessKey", "awsSessionToken", "awsWebIdentityToken", "awsRoleArn", "awsProfileFile", "awsProfile"];

describe("AWS credential arguments", () => {
  it("are taken once, by withAws, which returns the root object; no other function takes any", async () => {
    const root = listModules().find((m) => m.name === "dpra")!;
    const surface = await introspect(root);
    const dpra = surface.objects.find((o) => o.name === "Dpra")!;
    const withAws = dpra.functions.find((f) => f.name === "withAws");
    expect(withAws, "function withAws").toBeDefined();
    expect(withAws!.returns).toBe("Dpra");
    expect(withAws!.arguments.map((a) => a.name)).toEqual(CREDENTIALS);
    expect(withAws!.arguments.map((a) => a.type)).toEqual(["Secret", "Secret", "Secret", "Secret", "String", "Secret", "String"]);
    expect(withAws!.arguments.every((a) => a.optional)).toBe(true);
    expect(withAws!.arguments.every((a) => a.description.trim().length > 0)).toBe(true);

    // No credential argument anywhere else: not repeated on any function, not on the constructor.
    const isCredential = (name: string) => CREDENTIALS.includes(name) || name.startsWith("aws");
    const others = dpra.functions.filter((f) => f.name !== "withAws" && f.arguments.some((a) => isCredential(a.name))).map((f) => f.name);
    expect(others).toEqual([]);
    expect((dpra.constructorArguments ?? []).filter((a) => isCredential(a.name))).toEqual([]);
    // The credentials are kept state, never a field anyone can read back.
    expect(dpra.fields.filter((f) => isCredential(f.name))).toEqual([]);

    // Every AWS function is still there, and functions that reach AWS are never cached.
    for (const fn of AWS_FUNCTIONS) expect(dpra.functions.find((x) => x.name === fn)?.cache, fn).toBe("never");
  }, 60_000);
});
