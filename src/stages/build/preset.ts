// What the build stage runs for an application: image, caches and commands per preset. Pure: the
// Dagger side (toolchain.ts) only executes this plan, so every decision here is unit-tested.
import type { DpraConfig } from "../../config/schema.js";
import type { PackageManager, Preset } from "../../config/sections/build.js";
import { JRE_IMAGE, MAVEN_IMAGE, NODE_IMAGE } from "./images.js";
import { errorMessage } from "../../errors.js";

/** What the planner needs to know about package.json: script names and dependency names. */
export interface PackageJsonFacts {
  scripts: Record<string, string>;
  dependencies: string[];
}

/** Reads the parts of a package.json the planner uses, failing with the file name when it is not JSON. */
export function readPackageJson(text: string, file = "package.json"): PackageJsonFacts {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${errorMessage(err)}). Fix the file so that npm can read it.`, { cause: err });
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new Error(`${file}: expected a JSON object at the top level.`);
  }
  const obj = raw as Record<string, unknown>;
  const record = (key: string): Record<string, string> => {
    const v = obj[key];
    if (v === undefined) return {};
    if (v === null || typeof v !== "object" || Array.isArray(v)) throw new Error(`${file}: "${key}" must be an object.`);
    return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string"));
  };
  return {
    scripts: record("scripts"),
    dependencies: [...Object.keys(record("dependencies")), ...Object.keys(record("devDependencies"))],
  };
}

export interface CacheMount {
  path: string;
  key: string;
}

export interface TestSuitePlan {
  command: string;
  /** JUnit XML files, or directories of them, relative to the workdir. */
  reports: string[];
  env: Record<string, string>;
}

export interface LintPlan {
  command: string;
  format: "eslint-json" | "sarif";
  /** Report file, relative to the workdir. */
  report: string;
}

export interface BuildPlan {
  preset: Preset;
  packageManager?: PackageManager;
  image: string;
  /** Where the application sits inside the source (`.` for the root). */
  workdir: string;
  caches: CacheMount[];
  env: Record<string, string>;
  /** Each command is a shell line, run with `sh -c` in the workdir. */
  install?: string;
  build?: string;
  typecheck?: string;
  unit?: TestSuitePlan;
  /**
   * Why there is no unit test plan, when there is none: dpra.yaml's opt-out (tests.optOut.unit),
   * or else the blocking message naming the preset and what to configure.
   */
  unitAbsent?: { optOut: string } | { missing: string };
  lint?: LintPlan;
  /** Dockerfile path relative to the source. */
  dockerfile: string;
  /** Contents of the preset's Dockerfile, used when the source has none. */
  defaultDockerfile?: string;
}

/** Facts read from the application directory. */
export interface SourceFacts {
  /** Entry names of the application directory (directories end with `/`). */
  listing: readonly string[];
  packageJson?: PackageJsonFacts;
}

const NPM_CACHE: CacheMount = { path: "/root/.npm", key: "dpra-npm" };
const PNPM_STORE: CacheMount = { path: "/root/.pnpm-store", key: "dpra-pnpm-store" };
const YARN_CACHE: CacheMount = { path: "/root/.yarn-cache", key: "dpra-yarn" };
const COREPACK_CACHE: CacheMount = { path: "/root/.cache/node/corepack", key: "dpra-corepack" };
const MAVEN_REPO: CacheMount = { path: "/root/.m2", key: "dpra-maven" };

export const UNIT_REPORT = "reports/junit.xml";
export const ESLINT_REPORT = "reports/eslint.json";

export function buildPlan(config: DpraConfig, facts: SourceFacts): BuildPlan {
  const preset = config.build.preset;
  if (preset === undefined) {
    throw new Error("dpra.yaml: build.preset is not resolved; load the config with loadSourceConfig, which detects it.");
  }
  const workdir = config.build.workdir ?? ".";
  const base = { preset, workdir, dockerfile: config.build.dockerfile };
  const plan = preset === "node" ? nodePlan(config, facts, base) : preset === "java-maven" ? mavenPlan(config, base) : genericPlan(config, base);
  if (plan.unit) return plan;
  const optOut = config.tests.optOut.unit;
  return { ...plan, unitAbsent: optOut ? { optOut } : { missing: missingUnitTests(preset) } };
}

/** The message of a build without unit tests: which preset found no runner, and the three ways out. */
export function missingUnitTests(preset: Preset): string {
  const found =
    preset === "node"
      ? "the node preset found no unit test runner (package.json has neither vitest nor jest with jest-junit)"
      : `the ${preset} preset has no default unit test command`;
  return (
    `unit-tests: ${found} and dpra.yaml sets no tests.unit, so no test would run and the build would pass untested. ` +
    `Set tests.unit.command (and tests.unit.reports, JUnit XML)${preset === "node" ? ", add vitest or jest with jest-junit" : ""}, ` +
    'or accept it on purpose with tests.optOut.unit: "<reason>".'
  );
}

type PlanBase = Pick<BuildPlan, "preset" | "workdir" | "dockerfile">;

function nodePlan(config: DpraConfig, facts: SourceFacts, base: PlanBase): BuildPlan {
  const pm = config.build.packageManager ?? "npm";
  const pkg = facts.packageJson ?? { scripts: {}, dependencies: [] };
  const has = (dep: string) => pkg.dependencies.includes(dep);
  const run = (script: string) => `${pm} run ${script}`;
  const exec = { npm: "npx --no-install", pnpm: "pnpm exec", yarn: "yarn run" }[pm];

  const env: Record<string, string> = { CI: "true", COREPACK_ENABLE_DOWNLOAD_PROMPT: "0" };
  let caches: CacheMount[];
  let defaultInstall: string;
  if (pm === "pnpm") {
    caches = [PNPM_STORE, COREPACK_CACHE];
    defaultInstall = `corepack enable && pnpm install --frozen-lockfile --store-dir ${PNPM_STORE.path}`;
  } else if (pm === "yarn") {
    caches = [YARN_CACHE, COREPACK_CACHE];
    env.YARN_CACHE_FOLDER = YARN_CACHE.path;
    defaultInstall = "corepack enable && yarn install --frozen-lockfile";
  } else {
    caches = [NPM_CACHE];
    const locked = facts.listing.includes("package-lock.json") || facts.listing.includes("npm-shrinkwrap.json");
    defaultInstall = locked ? "npm ci --no-audit --no-fund" : "npm install --no-audit --no-fund";
  }
  const install = config.build.commands.install ?? defaultInstall;

  const build = config.build.commands.build ?? (pkg.scripts.build ? run("build") : undefined);
  const typecheck =
    config.build.commands.typecheck ??
    (pkg.scripts.typecheck ? run("typecheck") : facts.listing.includes("tsconfig.json") && has("typescript") ? `${exec} tsc --noEmit --pretty false` : undefined);

  let unit: TestSuitePlan | undefined;
  if (config.tests.unit) {
    unit = { command: config.tests.unit.command, reports: config.tests.unit.reports, env: {} };
  } else if (has("vitest")) {
    unit = {
      command: `${exec} vitest run --reporter=default --reporter=junit --outputFile.junit=${UNIT_REPORT}`,
      reports: [UNIT_REPORT],
      env: {},
    };
  } else if (has("jest") && has("jest-junit")) {
    unit = {
      command: `${exec} jest --ci --reporters=default --reporters=jest-junit`,
      reports: [UNIT_REPORT],
      // A suite that fails to load is absent from jest-junit's XML unless this is set.
      env: { JEST_JUNIT_OUTPUT_DIR: "reports", JEST_JUNIT_OUTPUT_NAME: "junit.xml", JEST_JUNIT_REPORT_TEST_SUITE_ERRORS: "true" },
    };
  }

  let lint: LintPlan | undefined;
  if (config.quality.lint) {
    lint = { ...config.quality.lint };
  } else if (has("eslint")) {
    lint = { command: `${exec} eslint . --format json --output-file ${ESLINT_REPORT}`, format: "eslint-json", report: ESLINT_REPORT };
  }

  const image = config.build.image ?? NODE_IMAGE;
  return {
    ...base,
    packageManager: pm,
    image,
    caches,
    env,
    install,
    build,
    typecheck,
    unit,
    lint,
    defaultDockerfile: nodeDockerfile(image, install, build, pm),
  };
}

function mavenPlan(config: DpraConfig, base: PlanBase): BuildPlan {
  const mvn = `mvn -B -ntp -Dmaven.repo.local=${MAVEN_REPO.path}/repository`;
  const image = config.build.image ?? MAVEN_IMAGE;
  return {
    ...base,
    image,
    caches: [MAVEN_REPO],
    env: { CI: "true" },
    install: config.build.commands.install,
    build: config.build.commands.build ?? `${mvn} -DskipTests package`,
    typecheck: config.build.commands.typecheck,
    unit: config.tests.unit
      ? { command: config.tests.unit.command, reports: config.tests.unit.reports, env: {} }
      : // Surefire writes one TEST-*.xml per class into this directory.
        { command: `${mvn} test`, reports: ["target/surefire-reports"], env: {} },
    lint: config.quality.lint ? { ...config.quality.lint } : undefined,
    defaultDockerfile: mavenDockerfile(image),
  };
}

function genericPlan(config: DpraConfig, base: PlanBase): BuildPlan {
  if (config.build.image === undefined) {
    throw new Error("dpra.yaml: build.image is required for the generic preset: set it to an image pinned by digest.");
  }
  return {
    ...base,
    image: config.build.image,
    caches: [],
    env: { CI: "true" },
    install: config.build.commands.install,
    build: config.build.commands.build,
    typecheck: config.build.commands.typecheck,
    unit: config.tests.unit ? { command: config.tests.unit.command, reports: config.tests.unit.reports, env: {} } : undefined,
    lint: config.quality.lint ? { ...config.quality.lint } : undefined,
  };
}

/** The node preset's Dockerfile: install and build in one stage, production dependencies only in the runtime stage. */
export function nodeDockerfile(image: string, install: string, build: string | undefined, pm: PackageManager): string {
  const prune = pm === "npm" ? "npm prune --omit=dev" : pm === "pnpm" ? "pnpm prune --prod" : "true";
  return [
    `FROM ${image} AS build`,
    "WORKDIR /app",
    "ENV CI=true COREPACK_ENABLE_DOWNLOAD_PROMPT=0",
    "COPY . .",
    `RUN ${install}${build ? ` && ${build}` : ""} && ${prune}`,
    "",
    `FROM ${image}`,
    "ENV NODE_ENV=production",
    "WORKDIR /app",
    "COPY --from=build --chown=node:node /app /app",
    "USER node",
    'CMD ["npm", "start"]',
    "",
  ].join("\n");
}

/** The java-maven preset's Dockerfile: package with Maven, run the jar on a JRE. */
export function mavenDockerfile(buildImage: string): string {
  return [
    `FROM ${buildImage} AS build`,
    "WORKDIR /app",
    "COPY . .",
    "RUN mvn -B -ntp -DskipTests package && cp target/*.jar /app.jar",
    "",
    `FROM ${JRE_IMAGE}`,
    "WORKDIR /app",
    "COPY --from=build /app.jar /app/app.jar",
    "USER 10001",
    'ENTRYPOINT ["java", "-jar", "/app/app.jar"]',
    "",
  ].join("\n");
}
