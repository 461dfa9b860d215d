import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../../src/config/load.js";
import { buildPlan, readPackageJson, type PackageJsonFacts } from "../../../src/stages/build/preset.js";
import { MAVEN_IMAGE, NODE_IMAGE } from "../../../src/stages/build/images.js";

const pkg = (deps: string[], scripts: Record<string, string> = {}): PackageJsonFacts => ({ scripts, dependencies: deps });

function plan(yaml: string | undefined, listing: string[], packageJson?: PackageJsonFacts) {
  return buildPlan(resolveConfig(yaml, listing), { listing, packageJson });
}

describe("node preset", () => {
  it("uses npm ci with the npm cache when package-lock.json is present, and vitest JUnit output", () => {
    const p = plan(undefined, ["package.json", "package-lock.json", "tsconfig.json"], pkg(["vitest", "typescript", "eslint"], { build: "tsc -p ." }));
    expect(p.preset).toBe("node");
    expect(p.image).toBe(NODE_IMAGE);
    expect(p.caches).toEqual([{ path: "/root/.npm", key: "dpra-npm" }]);
    expect(p.install).toBe("npm ci --no-audit --no-fund");
    expect(p.build).toBe("npm run build");
    expect(p.typecheck).toBe("npx --no-install tsc --noEmit --pretty false");
    expect(p.unit).toEqual({
      command: "npx --no-install vitest run --reporter=default --reporter=junit --outputFile.junit=reports/junit.xml",
      reports: ["reports/junit.xml"],
      env: {},
    });
    expect(p.lint).toEqual({
      command: "npx --no-install eslint . --format json --output-file reports/eslint.json",
      format: "eslint-json",
      report: "reports/eslint.json",
    });
  });

  it("detects pnpm from its lockfile: frozen install into a cached store via corepack", () => {
    const p = plan(undefined, ["package.json", "pnpm-lock.yaml"], pkg([]));
    expect(p.packageManager).toBe("pnpm");
    expect(p.install).toBe("corepack enable && pnpm install --frozen-lockfile --store-dir /root/.pnpm-store");
    expect(p.caches.map((c) => c.path)).toEqual(["/root/.pnpm-store", "/root/.cache/node/corepack"]);
    expect(p.build).toBeUndefined();
    expect(p.unit).toBeUndefined();
  });

  it("detects yarn from its lockfile, with YARN_CACHE_FOLDER on a cache volume", () => {
    const p = plan(undefined, ["package.json", "yarn.lock"], pkg(["jest", "jest-junit"], { typecheck: "tsc --noEmit" }));
    expect(p.install).toBe("corepack enable && yarn install --frozen-lockfile");
    expect(p.env.YARN_CACHE_FOLDER).toBe("/root/.yarn-cache");
    expect(p.caches[0]).toEqual({ path: "/root/.yarn-cache", key: "dpra-yarn" });
    expect(p.typecheck).toBe("yarn run typecheck");
    // A suite that cannot load is absent from jest-junit's XML unless suite errors are reported.
    expect(p.unit?.env.JEST_JUNIT_REPORT_TEST_SUITE_ERRORS).toBe("true");
    expect(p.unit?.command).toBe("yarn run jest --ci --reporters=default --reporters=jest-junit");
  });

  it("falls back to npm install without a lockfile and runs no type check without typescript", () => {
    const p = plan(undefined, ["package.json", "tsconfig.json"], pkg([]));
    expect(p.install).toBe("npm install --no-audit --no-fund");
    expect(p.typecheck).toBeUndefined();
    expect(p.lint).toBeUndefined();
  });

  it("without vitest or jest-junit has no unit plan and says why the build blocks, or carries dpra.yaml's opt-out", () => {
    const p = plan(undefined, ["package.json"], pkg(["jest"]));
    expect(p.unit).toBeUndefined();
    expect(p.unitAbsent).toEqual({ missing: expect.stringMatching(/^unit-tests: the node preset found no unit test runner .*tests\.optOut\.unit/) });
    const out = plan('tests:\n  optOut:\n    unit: "generated client, tested upstream"\n', ["package.json"], pkg([]));
    expect(out.unitAbsent).toEqual({ optOut: "generated client, tested upstream" });
    expect(plan(undefined, ["package.json"], pkg(["vitest"])).unitAbsent).toBeUndefined();
    expect(() => resolveConfig('tests:\n  optOut:\n    unit: "short"\n', ["package.json"])).toThrow(/tests\.optOut\.unit.*at least 10 characters/s);
    expect(() => resolveConfig('tests:\n  unit:\n    command: npm test\n  optOut:\n    unit: "no tests in this package"\n', ["package.json"])).toThrow(/both set/);
  });

  it("lets dpra.yaml override image, commands, tests and lint", () => {
    const image = `node:20-alpine@sha256:${"b".repeat(64)}`;
    const yaml = [
      "build:",
      `  image: "${image}"`,
      "  commands: { install: make deps, build: make, typecheck: make types }",
      "tests:",
      "  unit: { command: make test, reports: [out/junit.xml] }",
      "quality:",
      "  lint: { command: make lint, format: sarif, report: out/lint.sarif }",
    ].join("\n");
    const p = plan(yaml, ["package.json"], pkg(["vitest", "eslint"]));
    expect(p).toMatchObject({
      image,
      install: "make deps",
      build: "make",
      typecheck: "make types",
      unit: { command: "make test", reports: ["out/junit.xml"] },
      lint: { command: "make lint", format: "sarif", report: "out/lint.sarif" },
    });
  });

  it("has a default multi-stage Dockerfile on the same pinned image, running as the node user", () => {
    const p = plan(undefined, ["package.json", "package-lock.json"], pkg([], { build: "tsc" }));
    expect(p.defaultDockerfile).toContain(`FROM ${NODE_IMAGE} AS build`);
    expect(p.defaultDockerfile).toContain("RUN npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev");
    expect(p.defaultDockerfile).toContain("USER node");
  });
});

describe("java-maven preset", () => {
  it("caches ~/.m2, packages without tests, and reads Surefire reports from their directory", () => {
    const p = plan(undefined, ["pom.xml", "src/"]);
    expect(p.preset).toBe("java-maven");
    expect(p.image).toBe(MAVEN_IMAGE);
    expect(p.caches).toEqual([{ path: "/root/.m2", key: "dpra-maven" }]);
    expect(p.build).toBe("mvn -B -ntp -Dmaven.repo.local=/root/.m2/repository -DskipTests package");
    expect(p.unit?.reports).toEqual(["target/surefire-reports"]);
    expect(p.defaultDockerfile).toMatch(/FROM eclipse-temurin:21-jre@sha256:[a-f0-9]{64}/);
  });
});

describe("generic preset", () => {
  it("runs the image and commands from dpra.yaml and has no default Dockerfile", () => {
    const image = `golang:1.24@sha256:${"c".repeat(64)}`;
    const yaml = `build: { preset: generic, image: "${image}", commands: { build: go build ./... } }\ntests: { unit: { command: go test ./..., reports: [junit.xml] } }`;
    const p = plan(yaml, ["go.mod"]);
    expect(p).toMatchObject({ preset: "generic", image, build: "go build ./...", caches: [] });
    expect(p.unit?.command).toBe("go test ./...");
    expect(p.defaultDockerfile).toBeUndefined();
  });
});

describe("readPackageJson", () => {
  it("reads scripts and dependency names from dependencies and devDependencies", () => {
    const facts = readPackageJson(JSON.stringify({ scripts: { test: "vitest" }, dependencies: { express: "^5" }, devDependencies: { vitest: "4" } }));
    expect(facts).toEqual({ scripts: { test: "vitest" }, dependencies: ["express", "vitest"] });
  });

  it("names the file when it is not JSON or has a bad shape", () => {
    expect(() => readPackageJson("{", "app/package.json")).toThrow(/^app\/package.json: not valid JSON/);
    expect(() => readPackageJson("[]")).toThrow(/expected a JSON object/);
    expect(() => readPackageJson('{"scripts": "x"}')).toThrow(/"scripts" must be an object/);
  });
});
