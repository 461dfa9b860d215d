import { afterEach, describe, expect, it } from "vitest";
import { dag, ExecError, ReturnType } from "@dagger.io/dagger";
import { FakeEngine, FakeExecError } from "./fake-engine.js";
import { isPinned, Plan } from "./plan.js";
import { Dpra } from "../../src/index.js";

let engine: FakeEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const ALPINE = `alpine:3.22@sha256:${"a".repeat(64)}`;

describe("fake engine (plan tests are records of requests, not engine runs)", () => {
  it("records a chain with cache volumes and secrets resolved through their IDs", async () => {
    engine = await FakeEngine.start({ answer: (leaf) => (leaf.field === "stdout" ? "scanned" : undefined) });
    const out = await engine.run(async () => {
      const token = dag.setSecret("token", "s3cr3t-value");
      return dag
        .container()
        .from(ALPINE)
        .withMountedCache("/root/.cache", dag.cacheVolume("trivy-db"))
        .withSecretVariable("TOKEN", token)
        .withEnvVariable("MODE", "fs")
        .withExec(["trivy", "fs", "."], { expect: ReturnType.Any })
        .stdout();
    });
    expect(out).toBe("scanned");
    const plan = new Plan(engine);
    expect(plan.images()).toEqual([ALPINE]);
    expect(plan.images().every(isPinned)).toBe(true);
    expect(plan.cacheMounts()).toEqual([{ path: "/root/.cache", key: "trivy-db" }]);
    expect(plan.secretVariables()).toEqual([{ name: "TOKEN", secret: "token" }]);
    expect(plan.envVariables()).toEqual([{ name: "MODE", value: "fs" }]);
    expect(plan.execs().map((e) => [e.args, e.expect])).toEqual([[["trivy", "fs", "."], "ANY"]]);
    expect(plan.secretLeaks()).toEqual([]);
  });

  it("detects a secret that leaks into exec args or plain env", async () => {
    engine = await FakeEngine.start();
    await engine.run(async () => {
      const value = "hunter2-password";
      await dag.setSecret("pw", value).id();
      await dag
        .container()
        .from(ALPINE)
        .withEnvVariable("PW", value)
        .withExec(["login", `--password=${value}`])
        .sync();
    });
    const leaks = new Plan(engine).secretLeaks();
    expect(leaks).toHaveLength(2);
    expect(leaks.join("\n")).toMatch(/withEnvVariable/);
    expect(leaks.join("\n")).toMatch(/withExec/);
  });

  it("follows IDs: a chain continued after sync() is still one recorded chain", async () => {
    engine = await FakeEngine.start();
    await engine.run(async () => {
      const base = await dag.container().from(ALPINE).withExec(["npm", "ci"]).sync();
      await base.withExec(["npm", "test"]).stdout();
    });
    const plan = new Plan(engine);
    const tests = plan.containersRunning("test");
    expect(tests).toHaveLength(1);
    expect(tests[0]!.calls.map((c) => c.field)).toEqual(["container", "from", "withExec", "withExec"]);
  });

  it("tells derived containers from independent ones", async () => {
    engine = await FakeEngine.start();
    await engine.run(async () => {
      const built = dag.container().from(ALPINE).withExec(["make"]);
      await Promise.all([
        dag.container().from(ALPINE).withExec(["lint"]).sync(),
        dag.container().from(ALPINE).withDirectory("/out", built.directory("/dist")).withExec(["package"]).sync(),
        built.sync(),
      ]);
    });
    const plan = new Plan(engine);
    const [lint] = plan.containersRunning("lint");
    const [pkg] = plan.containersRunning("package");
    const [make] = plan.containersRunning("make");
    expect(plan.derivesFrom(pkg!, make!)).toBe(true);
    expect(plan.derivesFrom(lint!, make!)).toBe(false);
    expect(plan.derivesFrom(make!, lint!)).toBe(false);
  });

  it("reports a scripted exec failure to the SDK as an ExecError", async () => {
    engine = await FakeEngine.start({
      answer: (leaf) => {
        if (leaf.field === "stdout") throw new FakeExecError({ exitCode: 3, stderr: "boom", cmd: ["false"] });
        return undefined;
      },
    });
    const run = engine.run(() => dag.container().from(ALPINE).withExec(["false"]).stdout());
    await expect(run).rejects.toBeInstanceOf(ExecError);
    await expect(run).rejects.toMatchObject({ exitCode: 3, stderr: "boom" });
  });
});

describe("Dpra.config through the fake engine", () => {
  const yamlText = "name: fruit-api\nbuild:\n  dockerfile: Dockerfile\n";

  it("reads dpra.yaml from the source and resolves detected defaults", async () => {
    engine = await FakeEngine.start({
      answer: (leaf) => {
        if (leaf.field === "entries") return ["dpra.yaml", "package.json", "pnpm-lock.yaml", "src/"];
        if (leaf.field === "contents") return yamlText;
        return undefined;
      },
    });
    const json = await engine.run(() => new Dpra(dag.directory()).config());
    const config = JSON.parse(json);
    expect(config.name).toBe("fruit-api");
    expect(config.build).toMatchObject({ preset: "node", packageManager: "pnpm" });
    const plan = new Plan(engine);
    expect(plan.callsNamed("file").map(({ call }) => call.args.path)).toEqual(["dpra.yaml"]);
  });

  it("fails with the YAML path and the problem when dpra.yaml is invalid", async () => {
    engine = await FakeEngine.start({
      answer: (leaf) => {
        if (leaf.field === "entries") return ["dpra.yaml", "package.json"];
        if (leaf.field === "contents") return "build:\n  preset: rust\n";
        return undefined;
      },
    });
    await expect(engine.run(() => new Dpra(dag.directory()).config())).rejects.toThrow(/build\.preset/);
  });

  it("skips reading a config file the source does not have", async () => {
    engine = await FakeEngine.start({ answer: (leaf) => (leaf.field === "entries" ? ["pom.xml"] : undefined) });
    const config = JSON.parse(await engine.run(() => new Dpra(dag.directory()).config()));
    expect(config.build.preset).toBe("java-maven");
    expect(new Plan(engine).callsNamed("file")).toEqual([]);
  });
});
