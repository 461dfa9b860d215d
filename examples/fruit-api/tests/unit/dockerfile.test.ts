import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// No container engine runs here, so the image recipe is checked as text: the rules the pipeline's
// packaging step and its scanners expect of it.
const root = new URL("../../", import.meta.url);
const dockerfile = readFileSync(new URL("Dockerfile", root), "utf8");
const instructions = dockerfile
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"));
const allowed = readFileSync(new URL(".dockerignore", root), "utf8")
  .split("\n")
  .filter((line) => line.startsWith("!"))
  .map((line) => line.slice(1).replace(/\/\*\*$/, ""));

describe("Dockerfile", () => {
  it("builds from one base image pinned by tag and digest, and takes dbmate from its pinned release image", () => {
    const arg = instructions.find((line) => line.startsWith("ARG NODE_IMAGE="));
    expect(arg).toMatch(/^ARG NODE_IMAGE=node:\d+\.\d+\.\d+-alpine@sha256:[a-f0-9]{64}$/);
    const dbmate = instructions.find((line) => line.startsWith("ARG DBMATE_IMAGE="));
    expect(dbmate).toMatch(/^ARG DBMATE_IMAGE=ghcr\.io\/amacneil\/dbmate:\d+\.\d+\.\d+@sha256:[a-f0-9]{64}$/);
    const froms = instructions.filter((line) => line.startsWith("FROM "));
    expect(froms).toEqual(["FROM ${DBMATE_IMAGE} AS dbmate", "FROM ${NODE_IMAGE} AS build", "FROM ${NODE_IMAGE} AS runtime"]);
    expect(instructions).toContain("COPY --from=dbmate /usr/local/bin/dbmate /usr/local/bin/dbmate");
  });

  it("runs as a non-root user with a health check and an exec-form command", () => {
    const runtime = instructions.slice(instructions.indexOf("FROM ${NODE_IMAGE} AS runtime"));
    expect(runtime.filter((line) => line.startsWith("USER "))).toEqual(["USER node"]);
    expect(runtime.some((line) => /^HEALTHCHECK .*CMD \[.*\/health\/live/.test(line))).toBe(true);
    expect(runtime.at(-1)).toBe('CMD ["node", "dist/main.js"]');
  });

  it("copies into the image only what .dockerignore lets into the build context", () => {
    const sources = instructions
      .filter((line) => line.startsWith("COPY ") && !line.includes("--from="))
      .flatMap((line) => line.split(/\s+/).slice(1, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(allowed, source).toContain(source);
      expect(existsSync(new URL(source, root)), source).toBe(true);
    }
    expect(allowed).not.toContain("tests");
    expect(allowed).not.toContain("infra");
  });
});
