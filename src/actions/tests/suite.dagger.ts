// Integration and E2E suites against the Beta services: the suite's command runs in a container
// bound to the app service (BASE_URL) and the database (DATABASE_URL as a Secret), then its JUnit
// reports are read and judged. Traces and screenshots are collected from an artifacts folder.
import { dag, ReturnType, type Container, type Directory, type File, type Service } from "@dagger.io/dagger";
import type { PackageManager } from "../../config/sections/build.js";
import { suiteVerdict, type SuiteVerdict } from "./verdict.js";

/** Official Playwright image (Ubuntu 24.04 noble, browsers included), pinned by tag and digest. */
export const PLAYWRIGHT_IMAGE = "mcr.microsoft.com/playwright:v1.56.1-noble@sha256:f1e7e01021efd65dd1a2c56064be399f3e4de00fd021ac561325f2bfbb2b837a";

/** Playwright writes traces, screenshots and videos of failed tests here by default. */
export const PLAYWRIGHT_ARTIFACTS = "test-results";

export interface SuiteInput {
  suite: "integration" | "e2e";
  /** The container the command runs in, with the tests and their dependencies, workdir set. */
  container: Container;
  command: string;
  /** JUnit XML files the command writes, relative to the workdir. */
  reports: string[];
  app: { host: string; service: Service; baseUrl: string };
  /** Binds the environment's other services (Beta's database) and their variables into the container. */
  withEnvironment?: (container: Container) => Container;
  runId: string;
  /** Folder (relative to the workdir) of traces and screenshots, collected whatever the outcome. */
  artifactsDir?: string;
}

export interface SuiteRun extends SuiteVerdict {
  exitCode: number;
  reportFiles: Array<{ path: string; file: File }>;
  artifacts?: Directory;
}

/** The shell line: the suite's command, then (always) the artifacts folder, keeping the command's exit code. */
export function suiteScript(command: string, artifactsDir?: string): string {
  if (!artifactsDir) return command;
  return `${command}\ncode=$?\nmkdir -p '${artifactsDir.replace(/'/g, "'\\''")}'\nexit $code`;
}

export async function runSuite(input: SuiteInput): Promise<SuiteRun> {
  let c = input.container.withServiceBinding(input.app.host, input.app.service).withEnvVariable("BASE_URL", input.app.baseUrl);
  if (input.withEnvironment) c = input.withEnvironment(c);
  c = c
    .withEnvVariable("CI", "true")
    .withEnvVariable("DPRA_RUN_ID", input.runId)
    .withExec(["sh", "-c", suiteScript(input.command, input.artifactsDir)], { expect: ReturnType.Any });
  const exitCode = await c.exitCode();
  const reportFiles: SuiteRun["reportFiles"] = [];
  const read = await Promise.all(
    input.reports.map(async (path) => {
      const file = c.file(path);
      try {
        const xml = await file.contents();
        reportFiles.push({ path, file });
        return { path, xml };
      } catch {
        return { path };
      }
    }),
  );
  const verdict = suiteVerdict(input.suite, exitCode, read);
  const artifacts = input.artifactsDir ? c.directory(input.artifactsDir) : undefined;
  return { ...verdict, exitCode, reportFiles, ...(artifacts ? { artifacts } : {}) };
}

/** Install command for the app's test dependencies inside the Playwright image. */
export function installCommand(pm: PackageManager | undefined): string {
  switch (pm) {
    case "pnpm":
      return "corepack enable && pnpm install --frozen-lockfile";
    case "yarn":
      return "corepack enable && yarn install --immutable";
    default:
      return "npm ci";
  }
}

/** The E2E container in the pinned Playwright image: the app's test sources, their dependencies installed. */
export function playwrightContainer(source: Directory, workdir: string, pm: PackageManager | undefined): { container: Container; install: string } {
  const container = dag
    .container()
    .from(PLAYWRIGHT_IMAGE)
    .withMountedCache("/root/.npm", dag.cacheVolume("dpra-npm"))
    .withDirectory("/app", source.directory(workdir), { exclude: ["node_modules"] })
    .withWorkdir("/app");
  return { container, install: installCommand(pm) };
}
