// Plan test (loopback fake engine, no Dagger engine): the credentials given to withAws reach the
// function chained after it. Each call is run the way the engine's TypeScript runtime runs it
// (the SDK's own `invoke`: the parent state the previous call returned, as JSON, is rebuilt into the
// object), so this checks that the SDK keeps the declared, unexposed properties across calls,
// Secrets included, and that they are the same secrets, not copies of their values.
import { dag } from "@dagger.io/dagger";
import { afterEach, describe, expect, it } from "vitest";
import { Dpra } from "../../src/index.js";
import { credentialsOf } from "../../src/inputs/credentials.dagger.js";
import { FakeEngine, type Leaf } from "../support/fake-engine.js";
import { listModules, scanModule, sdkModuleFile } from "../support/surface.js";

type Invoke = (
  executor: unknown,
  module: unknown,
  ctx: { parentName: string; fnName: string; parentArgs: Record<string, unknown>; fnArgs: Record<string, unknown> },
) => Promise<unknown>;

let engine: FakeEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

/** A secret's plaintext is the one its setSecret call was given; a file's contents, its withNewFile's. */
const answer = (leaf: Leaf) => {
  if (leaf.field === "plaintext") return leaf.calls.find((c) => c.field === "setSecret")?.args.plaintext;
  if (leaf.field === "contents") return leaf.calls.find((c) => c.field === "withNewFile")?.args.contents;
  return undefined;
};
// The fake engine hands out a new ID each time one is asked for, so state is compared by its keys
// and each value by what it resolves to.
const keys = (state: Record<string, unknown>) => Object.keys(state).sort();

describe("withAws state across chained calls (the SDK's own invoke)", () => {
  it("keeps the source and the credential Secrets for the next function, and exposes neither as a field", async () => {
    const { invoke } = (await import(sdkModuleFile("entrypoint", "invoke.js"))) as { invoke: Invoke };
    const { Executor } = (await import(sdkModuleFile("executor.js"))) as { Executor: new (modules: unknown[], module: unknown) => { buildClass(o: string, s: unknown): Dpra } };
    const { loadParentState } = (await import(sdkModuleFile("entrypoint", "load.js"))) as {
      loadParentState: (executor: unknown, object: unknown, ctx: { parentArgs: Record<string, unknown> }) => Promise<Record<string, unknown>>;
    };
    const scanned = (await scanModule(listModules().find((m) => m.name === "dpra")!)) as { objects: Record<string, unknown> };
    const executor = new Executor([{ Dpra }], scanned);
    engine = await FakeEngine.start({ answer });

    await engine.run(async () => {
      const sourceId = await dag.directory().withNewFile("dpra.yaml", "name: fruit-api\n").id();
      const keyId = await dag.setSecret("aws-access-key-id", "ASIAEXAMPLEKEYID0003").id();
      const secretId = await dag.setSecret("aws-secret-access-key", "example-secret-0003").id();
      // What the engine stores between calls is JSON.
      const call = async (fnName: string, parentArgs: Record<string, unknown>, fnArgs: Record<string, unknown>) =>
        JSON.parse(JSON.stringify(await invoke(executor, scanned, { parentName: "Dpra", fnName, parentArgs, fnArgs }))) as Record<string, unknown>;

      const constructed = await call("", {}, { source: sourceId });
      expect(keys(constructed)).toEqual(["source"]);
      const withAws = await call("withAws", constructed, { awsAccessKeyId: keyId, awsSecretAccessKey: secretId });
      expect(keys(withAws)).toEqual(["awsAccessKeyId", "awsSecretAccessKey", "source"]);

      // The next call's object, rebuilt from that state as the runtime does: the same secrets.
      const next = executor.buildClass("Dpra", await loadParentState(executor, scanned.objects.Dpra, { parentArgs: withAws }));
      const creds = credentialsOf(next);
      expect(await creds.awsAccessKeyId!.plaintext()).toBe("ASIAEXAMPLEKEYID0003");
      expect(await creds.awsSecretAccessKey!.plaintext()).toBe("example-secret-0003");
      expect(creds.awsSessionToken).toBeUndefined();
      expect(await next.source.file("dpra.yaml").contents()).toBe("name: fruit-api\n");

      // A later withAws replaces the credentials given before.
      const replaced = await call("withAws", withAws, { awsProfile: "dev" });
      expect(keys(replaced)).toEqual(["awsProfile", "source"]);
      expect(replaced.awsProfile).toBe("dev");
    });
  }, 60_000);
});
