// Plan tests of `dpra build`: the real module code drives the SDK against the loopback fake engine,
// which records every request and answers tool reports from genuine fixtures. This proves what the
// build ASKS the engine to do (images, caches, commands, which container derives from which) and how
// it reads the answers. It is not an engine run: nothing is pulled, built or executed.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { dag } from "@dagger.io/dagger";
import { FakeEngine, type Leaf } from "../../support/fake-engine.js";
import { isPinned, Plan, type Chain } from "../../support/plan.js";
import { fixturePath } from "../../support/fixtures.js";
import { Dpra } from "../../../src/index.js";

let engine: FakeEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const fixture = (...parts: string[]) => readFileSync(fixturePath(...parts), "utf8");

const DPRA_YAML = ["name: fruit-api", "security:", "  semgrep:", "    rules: [semgrep]", "quality:", "  iac:", "    paths: [infra]", ""].join("\n");
const PACKAGE_JSON = JSON.stringify({
  name: "fruit-api",
  scripts: { build: "tsc -p .", start: "node dist/server.js" },
  devDependencies: { vitest: "4.1.12", eslint: "10.0.0", typescript: "6.0.3" },
});
const TEMPLATE = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n";

const filePath = (leaf: Leaf) => [...leaf.calls].reverse().find((c) => c.field === "file")?.args.path as string | undefined;
const execArgs = (leaf: Leaf) => leaf.calls.filter((c) => c.field === "withExec").map((c) => (c.args.args as string[]).join(" "));
const ran = (leaf: Leaf, needle: string) => execArgs(leaf).some((a) => a.includes(needle));

interface Script {
  /** Exit code of the exec whose command line contains the key. */
  exitCodes?: Record<string, number>;
  /** Paths that do not exist. */
  missing?: string[];
  /** File contents that replace the default answers, by path. */
  files?: Record<string, string>;
}

/** The engine's answers: the application's files, and each tool's report from a genuine fixture. */
function answers(script: Script = {}) {
  return (leaf: Leaf): unknown => {
    const path = filePath(leaf);
    switch (leaf.field) {
      case "entries":
        return ["dpra.yaml", "package.json", "package-lock.json", "tsconfig.json", "Dockerfile", "infra/", "src/"];
      case "glob":
        return String(leaf.args.pattern).startsWith("infra/") ? ["infra/stack.yaml", "infra/README.md"] : [];
      case "exists":
        return !(script.missing ?? []).includes(String(leaf.args.path));
      case "exitCode": {
        const hit = Object.entries(script.exitCodes ?? {}).find(([needle]) => ran(leaf, needle));
        return hit ? hit[1] : 0;
      }
      case "contents":
        if (path !== undefined && script.files?.[path] !== undefined) return script.files[path];
        switch (path) {
          case "dpra.yaml":
            return DPRA_YAML;
          case "package.json":
            return PACKAGE_JSON;
          case "infra/stack.yaml":
            return TEMPLATE;
          case "/reports/gitleaks.json":
            return fixture("gitleaks", "pygoat-gitleaks-git-report.json");
          case "/reports/semgrep.json":
            return fixture("semgrep", "semgrep-e2e-output-format-json.json");
          case "/reports/trivy.json":
            return ran(leaf, "misconfig") ? fixture("trivy", "trivy-repo-misconfig-dockerfile.json") : fixture("trivy", "trivy-repo-npm.json");
          case "/reports/cfn-lint.json":
            return readFileSync(new URL("./fixtures/cfn-lint-1.51.0-errors.json", import.meta.url), "utf8");
          case "/src/reports/junit.xml":
            return fixture("junit", "vitest-4.1.12-junit-pass.xml");
          case "/src/reports/eslint.json":
            return "[]";
        }
        return undefined;
    }
    return undefined;
  };
}

async function build(script: Script = {}, noFail = true) {
  engine = await FakeEngine.start({ answer: answers(script) });
  return engine.run(async () => {
    const result = await new Dpra(dag.directory()).build("0123456789abcdef", "https://github.com/acme/fruit-api", noFail);
    // The module runtime returns objects to the engine by ID, as here.
    await Promise.all([result.reports.id(), result.image.id()]);
    return { passed: result.passed, summary: result.summary };
  });
}

/** The one container chain whose execs contain `needle`. */
function action(plan: Plan, needle: string): Chain {
  const found = plan.containersRunning(needle);
  expect(found.length, `a container running ${needle}`).toBeGreaterThan(0);
  return found[0]!;
}

describe("dpra build plan", () => {
  it("pins every image it runs by digest", async () => {
    await build();
    const images = new Plan(engine!).images();
    expect(images.length).toBeGreaterThanOrEqual(4);
    expect(images.filter((i) => !isPinned(i))).toEqual([]);
  });

  it("mounts the package-manager and scanner caches at fixed paths", async () => {
    await build();
    const mounts = new Set(new Plan(engine!).cacheMounts().map((m) => `${m.path}=${m.key}`));
    expect([...mounts].sort()).toEqual(["/root/.cache/pip=dpra-pip", "/root/.cache/trivy=trivy-cache", "/root/.npm=dpra-npm", "/root/.semgrep=semgrep-user-data"]);
  });

  it("puts no secret in args, plain env or files", async () => {
    await build();
    const plan = new Plan(engine!);
    expect(plan.secretLeaks()).toEqual([]);
    const suspicious = plan.envVariables().filter((e) => /token|secret|password|passwd|api_?key|access_?key/i.test(e.name));
    expect(suspicious).toEqual([]);
  });

  it("runs the build-service actions independently: no action's container derives from another's", async () => {
    await build();
    const plan = new Plan(engine!);
    const actions: Record<string, Chain> = {
      compile: action(plan, "npm run build"),
      unitTests: action(plan, "npx --no-install vitest run --reporter=default --reporter=junit --outputFile.junit=reports/junit.xml"),
      lint: action(plan, "npx --no-install eslint . --format json --output-file reports/eslint.json"),
      typecheck: action(plan, "npx --no-install tsc --noEmit --pretty false"),
      secrets: action(plan, "gitleaks"),
      sast: action(plan, "semgrep"),
      sca: action(plan, "vuln,secret,license"),
      iacMisconfig: action(plan, "misconfig"),
      cfnLint: action(plan, "cfn-lint"),
      sbom: action(plan, "cyclonedx"),
    };
    for (const [a, chainA] of Object.entries(actions)) {
      for (const [b, chainB] of Object.entries(actions)) {
        if (a !== b) expect(plan.derivesFrom(chainA, chainB), `${a} derives from ${b}`).toBe(false);
      }
    }
    // The toolchain actions share the dependency install as a common base, and nothing else.
    const install = plan.containersRunning("npm ci --no-audit --no-fund");
    expect(install.length).toBeGreaterThanOrEqual(4);
  });

  it("packages once from the Dockerfile with OCI labels, and scans that image (the one action that needs another's output)", async () => {
    await build();
    const plan = new Plan(engine!);
    const builds = plan.callsNamed("dockerBuild");
    expect(new Set(builds.map(({ call }) => JSON.stringify(call.args))).size).toBe(1);
    expect(builds[0]!.call.args).toMatchObject({ dockerfile: "Dockerfile" });
    const labels = Object.fromEntries(plan.callsNamed("withLabel").map(({ call }) => [call.args.name, call.args.value]));
    expect(labels).toMatchObject({
      "org.opencontainers.image.revision": "0123456789abcdef",
      "org.opencontainers.image.source": "https://github.com/acme/fruit-api",
      "org.opencontainers.image.title": "fruit-api",
    });
    // Not the build time: the commit time (default 0), so a rebuild of the revision keeps the digest.
    expect(labels["org.opencontainers.image.created"]).toBe("1970-01-01T00:00:00Z");
    expect(plan.callsNamed("withAnnotation").map(({ call }) => call.args.name)).toContain("org.opencontainers.image.revision");
    const imageScan = action(plan, "/input/image.tar");
    const tarball = plan.callsNamed("withMountedFile").find(({ call }) => call.args.path === "/input/image.tar")!;
    expect(plan.origin(tarball.call.args.source)?.map((c) => c.field)).toContain("dockerBuild");
    expect(imageScan.calls.some((c) => c.field === "withMountedFile")).toBe(true);
  });

  it("labels the image with the commit time given as --source-date-epoch, and hands it to the image build as SOURCE_DATE_EPOCH", async () => {
    engine = await FakeEngine.start({ answer: answers() });
    await engine.run(async () => {
      const image = await new Dpra(dag.directory()).packageImage("0123456789abcdef", "", 1764000000);
      await image.id();
    });
    const plan = new Plan(engine);
    const labels = Object.fromEntries(plan.callsNamed("withLabel").map(({ call }) => [call.args.name, call.args.value]));
    expect(labels["org.opencontainers.image.created"]).toBe("2025-11-24T16:00:00Z");
    expect(plan.callsNamed("dockerBuild")[0]!.call.args.buildArgs).toEqual([{ name: "SOURCE_DATE_EPOCH", value: "1764000000" }]);
    await engine.close();
    engine = await FakeEngine.start({ answer: answers() });
    await expect(engine.run(() => new Dpra(dag.directory()).packageImage("", "", -5))).rejects.toThrow(/--source-date-epoch -5: expected the commit time in whole seconds/);
  });

  it("collects the merged reports, both SBOMs (source and packaged image) and the raw tool reports", async () => {
    await build();
    const files = new Set(new Plan(engine!).callsNamed("withFile").map(({ call }) => String(call.args.path)));
    for (const name of ["sbom.cdx.json", "sbom-image.cdx.json", "raw/gitleaks.json", "raw/semgrep.json", "raw/trivy-fs.json", "raw/trivy-image.json", "raw/cfn-lint.json"]) {
      expect(files, name).toContain(name);
    }
    const written = new Set(new Plan(engine!).callsNamed("withNewFile").map(({ call }) => String(call.args.path)));
    for (const name of ["summary.md", "findings.json", "findings.sarif"]) expect(written, name).toContain(name);
  });

  it("turns a scanner's non-zero exit into findings, not a crash: gitleaks exit 1 with its report blocks the build", async () => {
    const { passed, summary } = await build({ exitCodes: { "gitleaks git": 1, "gitleaks dir": 1 } });
    expect(passed).toBe(false);
    expect(summary).toContain("| secrets | gitleaks | 11 | ran |");
    expect(summary).toMatch(/Blocking findings \(\d+\)/);
    expect(summary).not.toContain("did not complete");
  });

  it("fails with every blocking finding listed unless --no-fail", async () => {
    const run = build({ exitCodes: { "gitleaks dir": 1 } }, false);
    await expect(run).rejects.toThrow(/dpra build failed/);
    await expect(run).rejects.toThrow(/\[secret \w+\] [\w-]+ at .+ \(gitleaks\)/);
    await expect(run).rejects.toThrow(/--no-fail/);
  });

  it("reports a scanner that crashed without a report as an action that did not complete", async () => {
    const { passed, summary } = await build({ exitCodes: { "vuln,secret,license": 1 }, missing: ["/reports/trivy.json"] });
    expect(passed).toBe(false);
    expect(summary).toContain("## Actions that did not complete");
    expect(summary).toMatch(/- sca: trivy exited 1 without writing \/reports\/trivy.json/);
    expect(summary).toContain("dpra/tool-failed");
  });

  it("fails closed on a fatal semgrep exit, and still reads what its report holds", async () => {
    const { passed, summary } = await build({ exitCodes: { "semgrep scan": 2 } });
    expect(passed).toBe(false);
    expect(summary).toMatch(/- sast: semgrep exited 2: /);
    // The report's one result, plus the critical tool-failure finding that makes the policy block.
    expect(summary).toContain("| sast | semgrep | 2 | did not complete |");
    expect(summary).toMatch(/\| 🟥 critical \| sast \| semgrep \| dpra\/tool-failed \|/);
  });

  it("blocks on a SAST run that executed no rule, judged by the parser dpra scan and dpra gate use, naming the configured rules", async () => {
    // The reports of the real semgrep 1.178.0: an empty rules folder (exit 7), and rules of a language the source lacks (exit 0).
    const noRules = await build({ exitCodes: { "semgrep scan": 7 }, files: { "/reports/semgrep.json": fixture("semgrep", "semgrep-1.178.0-no-rules.json") } });
    expect(noRules.passed).toBe(false);
    expect(noRules.summary).toMatch(
      /\| 🟥 critical \| sast \| semgrep \| sast-no-rules \| \(no location\) \| semgrep loaded no rules from security\.semgrep\.rules \[semgrep\], so no SAST rule ran/,
    );
    const noFiles = await build({ files: { "/reports/semgrep.json": fixture("semgrep", "semgrep-1.178.0-no-files-scanned.json") } });
    expect(noFiles.passed).toBe(false);
    expect(noFiles.summary).not.toContain("did not complete |");
    expect(noFiles.summary).toMatch(
      /\| 🟥 critical \| sast \| semgrep \| sast-no-files-scanned \| \(no location\) \| semgrep scanned no file of the source with security\.semgrep\.rules \[semgrep\]/,
    );
  });

  it("lets an allowlist entry with a reason and an expiry accept a scanner that did not complete", async () => {
    const yaml = [
      DPRA_YAML.trimEnd(),
      "policy:",
      "  allowlist:",
      "    - { rule: dpra/tool-failed, tool: semgrep, reason: semgrep registry outage tracked in OPS-1234, expires: 2999-12-31 }",
      "",
    ].join("\n");
    engine = await FakeEngine.start({ answer: answers({ exitCodes: { "semgrep scan": 2 }, files: { "dpra.yaml": yaml } }) });
    const summary = await engine.run(async () => (await new Dpra(dag.directory()).build("", "", true)).summary);
    const blockingSection = summary.slice(summary.indexOf("### Blocking findings"), summary.indexOf("Allowlisted"));
    expect(blockingSection).not.toContain("dpra/tool-failed");
    expect(summary).toMatch(/Allowlisted \(1\)[\s\S]*dpra\/tool-failed/);
  });

  it("reads a gitleaks run that found nothing and wrote no report (older gitleaks) as no findings", async () => {
    const { summary } = await build({ missing: ["/reports/gitleaks.json"] });
    expect(summary).toContain("| secrets | gitleaks | 0 | ran |");
  });

  it("reports a failed dependency install once, with its log, and still runs every scanner", async () => {
    engine = await FakeEngine.start({
      answer: (leaf) => {
        if (leaf.field === "stderr" && ran(leaf, "npm ci")) return "npm ERR! code ERESOLVE\nnpm ERR! could not resolve";
        return answers({ exitCodes: { "npm ci": 1 } })(leaf);
      },
    });
    const { passed, summary } = await engine.run(async () => {
      const r = await new Dpra(dag.directory()).build("", "", true);
      return { passed: r.passed, summary: r.summary };
    });
    expect(passed).toBe(false);
    expect(summary).toContain("- install: `npm ci --no-audit --no-fund` exited 1:");
    expect(summary).toContain("npm ERR! could not resolve");
    expect(summary).toContain("| install | - | 0 | did not complete |");
    expect(summary).toContain("| secrets | gitleaks | 11 | ran |");
    expect(new Plan(engine).containersRunning("vitest")).toEqual([]);
  });

  it("keeps the other actions' results when the engine fails one action", async () => {
    engine = await FakeEngine.start({
      answer: (leaf) => {
        if (leaf.field === "exitCode" && ran(leaf, "semgrep scan")) throw new Error("engine lost the semgrep container");
        return answers()(leaf);
      },
    });
    const { summary } = await engine.run(async () => {
      const r = await new Dpra(dag.directory()).build("", "", true);
      return { summary: r.summary };
    });
    expect(summary).toMatch(/- sast: .*engine lost the semgrep container/);
    expect(summary).toContain("| secrets | gitleaks | 11 | ran |");
  });

  it("lints only CloudFormation templates under the IaC folders with cfn-lint", async () => {
    await build();
    const cfn = action(new Plan(engine!), "cfn-lint");
    const exec = cfn.calls.filter((c) => c.field === "withExec").map((c) => c.args.args as string[]);
    expect(exec).toContainEqual(["cfn-lint", "--format", "json", "--output-file", "/reports/cfn-lint.json", "--", "infra/stack.yaml"]);
  });
});

describe("single build actions", () => {
  it("packages with the preset's Dockerfile when the application has none", async () => {
    engine = await FakeEngine.start({ answer: answers({ missing: ["Dockerfile"] }) });
    await engine.run(async () => (await new Dpra(dag.directory()).packageImage("", "")).id());
    const plan = new Plan(engine);
    const generated = plan.callsNamed("withNewFile").find(({ call }) => call.args.path === ".dpra.Dockerfile");
    expect(String(generated?.call.args.contents)).toMatch(/^FROM node:22-bookworm-slim@sha256:[a-f0-9]{64} AS build$/m);
    expect(plan.callsNamed("dockerBuild")[0]!.call.args).toMatchObject({ dockerfile: ".dpra.Dockerfile" });
  });

  it("secretsCheck fails listing the blocking secrets, and passes on a clean report", async () => {
    engine = await FakeEngine.start({ answer: answers({ exitCodes: { "gitleaks dir": 1 } }) });
    await expect(engine.run(() => new Dpra(dag.directory()).secretsCheck())).rejects.toThrow(/dpra secrets failed: .*\n(.*\n)*.*\(gitleaks\)/);
    await engine.close();
    engine = await FakeEngine.start({ answer: answers({ files: { "/reports/gitleaks.json": fixture("gitleaks", "gitleaks-empty.json") } }) });
    await expect(engine.run(() => new Dpra(dag.directory()).secretsCheck())).resolves.toBeUndefined();
  });

  it("a Node app without a test runner fails the build, naming the preset and the fix; an opt-out with a reason passes and is printed", async () => {
    const noRunner = JSON.stringify({ name: "fruit-api", scripts: { build: "tsc -p ." }, devDependencies: { eslint: "10.0.0", typescript: "6.0.3" } });
    const failed = await build({ files: { "package.json": noRunner } });
    expect(failed.passed).toBe(false);
    expect(failed.summary).toContain("| unit-tests | - | 0 | did not complete |");
    expect(failed.summary).toMatch(/unit-tests: the node preset found no unit test runner .* or accept it on purpose with tests\.optOut\.unit/);
    expect(failed.summary).toContain("Unit tests: none ran");
    await engine?.close();
    const optedOut = await build({
      files: { "package.json": noRunner, "dpra.yaml": `${DPRA_YAML}tests:\n  optOut:\n    unit: "a types-only package: there is no code to run"\n` },
    });
    expect(optedOut.summary).toContain("Unit tests: opted out in dpra.yaml (tests.optOut.unit): a types-only package: there is no code to run");
    expect(optedOut.summary).toContain("| unit-tests | - | 0 | ran |");
    expect(optedOut.summary).not.toMatch(/unit-tests: the node preset/);
  });

  it("unitTests reports failing test names and counts from the JUnit XML", async () => {
    engine = await FakeEngine.start({ answer: answers({ exitCodes: { vitest: 1 }, files: { "/src/reports/junit.xml": fixture("junit", "vitest-4.1.12-junit-failures.xml") } }) });
    const report = await engine.run(async () => {
      const r = await new Dpra(dag.directory()).unitTests();
      return { passed: r.passed, summary: r.summary };
    });
    expect(report.passed).toBe(false);
    expect(report.summary).toContain("Unit tests: 2 passed, 3 failed, 0 errors, 2 skipped (7 total).");
    expect(report.summary).toMatch(/math (>|&gt;) subtracts: AssertionError/);
  });

  it("passes the dpra.yaml security settings to the scanners: git history, log options, config files, skipped dirs", async () => {
    const yaml = [
      "security:",
      "  gitleaks: { mode: git, logOpts: origin/main..HEAD, config: ci/gitleaks.toml }",
      "  semgrep: { rules: [semgrep], exclude: [vendor/] }",
      "  trivy: { severity: [HIGH, CRITICAL], skipDirs: [test/fixtures], ignoreFile: ci/.trivyignore }",
      "",
    ].join("\n");
    engine = await FakeEngine.start({ answer: answers({ files: { "dpra.yaml": yaml } }) });
    await engine.run(() => new Dpra(dag.directory()).build("", "", true));
    const plan = new Plan(engine);
    const args = (needle: string) =>
      action(plan, needle)
        .calls.filter((c) => c.field === "withExec")
        .map((c) => (c.args.args as string[]).join(" "));
    expect(args("gitleaks").at(-1)).toContain(
      "gitleaks git --no-banner --no-color --redact --report-format json --report-path /reports/gitleaks.json --config /etc/gitleaks/gitleaks.toml --log-opts=origin/main..HEAD .",
    );
    expect(args("semgrep").at(-1)).toContain("--config semgrep --exclude vendor/");
    expect(args("vuln,secret,license").at(-1)).toContain("--severity HIGH,CRITICAL --ignorefile /etc/trivy/.trivyignore --skip-dirs test/fixtures");
    const mounted = plan.callsNamed("withMountedFile").map(({ call }) => [call.args.path, plan.origin(call.args.source)?.at(-1)?.args.path]);
    expect(mounted).toContainEqual(["/etc/gitleaks/gitleaks.toml", "ci/gitleaks.toml"]);
    expect(mounted).toContainEqual(["/etc/trivy/.trivyignore", "ci/.trivyignore"]);
  });

  it("without semgrep rules or rulesets, SAST runs the bundled rules from the module's own source, offline", async () => {
    engine = await FakeEngine.start({ answer: answers({ files: { "dpra.yaml": "name: fruit-api\n" } }) });
    await engine.run(() => new Dpra(dag.directory()).build("", "", true));
    const plan = new Plan(engine);
    const sast = action(plan, "semgrep");
    const argv = sast.calls
      .filter((c) => c.field === "withExec")
      .map((c) => (c.args.args as string[]).join(" "))
      .at(-1);
    expect(argv).toContain("semgrep scan --metrics=off --disable-version-check --quiet --config /rules --no-rewrite-rule-ids --json-output=");
    expect(argv).not.toMatch(/--config (p|r)\//);
    // No registry ruleset, so no day input either (that is only there to expire registry results).
    expect(sast.calls.filter((c) => c.field === "withEnvVariable").map((c) => c.args.name)).not.toContain("SCAN_DAY");
    const mount = sast.calls.find((c) => c.field === "withMountedDirectory" && c.args.path === "/rules");
    expect(plan.origin(mount?.args.source)?.map((c) => [c.field, c.args.path ?? null])).toEqual([
      ["currentModule", null],
      ["source", null],
      ["directory", "modules/semgrep/rules/dpra-default"],
    ]);
  });

  it("java-maven: caches ~/.m2 and reads every Surefire report of the reports folder", async () => {
    engine = await FakeEngine.start({
      answer: (leaf) => {
        const path = filePath(leaf);
        if (leaf.field === "entries") return ["pom.xml", "src/", "Dockerfile"];
        if (leaf.field === "glob" && String(leaf.args.pattern) === "**/*.xml") return ["TEST-a.xml", "TEST-b.xml"];
        if (leaf.field === "contents" && path === "TEST-a.xml") return fixture("junit", "vitest-4.1.12-junit-failures.xml");
        if (leaf.field === "contents" && path === "TEST-b.xml") return fixture("junit", "vitest-4.1.12-junit-pass.xml");
        if (leaf.field === "contents" && path === "dpra.yaml") return undefined;
        return answers()(leaf);
      },
    });
    const report = await engine.run(async () => {
      const r = await new Dpra(dag.directory()).unitTests();
      return { passed: r.passed, summary: r.summary };
    });
    expect(report.passed).toBe(false);
    expect(report.summary).toContain("Unit tests: 3 passed, 3 failed, 0 errors, 2 skipped (8 total).");
    const plan = new Plan(engine);
    expect(plan.cacheMounts().map((m) => `${m.path}=${m.key}`)).toContain("/root/.m2=dpra-maven");
    expect(plan.images().filter((i) => i.startsWith("maven:"))).toHaveLength(1);
    expect(plan.images().every(isPinned)).toBe(true);
    expect(plan.execs().map((e) => e.args.join(" "))).toContain("sh -c mvn -B -ntp -Dmaven.repo.local=/root/.m2/repository test");
  });
});
