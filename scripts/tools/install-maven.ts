// `npm run tools:install`, maven kind: a tool pinned in src/tools/catalog.ts that comes from Maven
// Central. `mvn dependency:copy` fetches the distribution archive (unpacked into
// `.tools/<name>-<version>/`), or `mvn dependency:copy-dependencies` of a generated POM fetches a
// jar with its runtime dependencies into `.tools/<name>-<version>/lib/`. Either way
// `.tools/bin/<name>` is a small launcher script. A finished install leaves a marker naming the
// pin (the installer's marker, src/tools/install-marker.ts), so a second run with the same pin does nothing.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { MavenInstall, ToolPin } from "../../src/tools/catalog.js";
import { InstallError, type ToolsLayout } from "./layout.js";

const COORDINATE = /^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$/;
const VERSIONED = /^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$/;

function mavenInstall(pin: ToolPin): MavenInstall {
  const install = pin.install;
  if (install.kind !== "maven") throw new InstallError(`src/tools/catalog.ts: ${pin.name}.install.kind is "${install.kind}", installMaven takes "maven" only.`);
  if (!COORDINATE.test(install.artifact)) {
    throw new InstallError(`src/tools/catalog.ts: ${pin.name}.install.artifact "${install.artifact}" must be "group:artifact" (the version is its own field).`);
  }
  if (install.packaging === "jar") {
    for (const extra of install.runtime) {
      if (!VERSIONED.test(extra)) throw new InstallError(`src/tools/catalog.ts: ${pin.name}.install.runtime entry "${extra}" must be "group:artifact:version".`);
    }
  }
  return install;
}

function mvn(args: string[], cwd: string): void {
  const run = spawnSync("mvn", ["--batch-mode", "--quiet", ...args], { cwd, encoding: "utf8", timeout: 15 * 60_000 });
  if (run.error) throw new InstallError(`mvn could not run (${run.error.message}): install Maven 3 and a JDK 17 or later, then run npm run tools:install again.`);
  if (run.status !== 0) {
    const said = `${run.stdout}${run.stderr}`.trim().split("\n").slice(-15).join("\n");
    throw new InstallError(`mvn ${args.join(" ")} failed (exit ${run.status}):\n${said}`);
  }
}

function launcherScript(body: string): string {
  return `#!/bin/sh\n# Written by npm run tools:install (scripts/tools/install-maven.ts).\n${body}\n`;
}

function xmlText(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A POM whose only purpose is to resolve the jar and its runtime classpath. */
export function assemblyPom(install: Extract<MavenInstall, { packaging: "jar" }>): string {
  const dependency = (coordinate: string) => {
    const [groupId, artifactId, version] = coordinate.split(":") as [string, string, string];
    return `    <dependency><groupId>${xmlText(groupId)}</groupId><artifactId>${xmlText(artifactId)}</artifactId><version>${xmlText(version)}</version></dependency>`;
  };
  return [
    '<project xmlns="http://maven.apache.org/POM/4.0.0">',
    "  <modelVersion>4.0.0</modelVersion>",
    "  <groupId>dpra.tools</groupId><artifactId>assembly</artifactId><version>1</version><packaging>pom</packaging>",
    "  <dependencies>",
    dependency(`${install.artifact}:${install.version}`),
    ...install.runtime.map(dependency),
    "  </dependencies>",
    "</project>",
    "",
  ].join("\n");
}

/** Installs a maven-kind pin into `toolsDir` (normally `.tools`) and returns its launcher. */
export async function installMaven(pin: ToolPin, layout: ToolsLayout): Promise<{ bin: string }> {
  const install = mavenInstall(pin);
  const home = path.resolve(layout.root, `${pin.name}-${pin.version}`);
  const bin = path.join(layout.bin, pin.name);
  // A half-finished earlier attempt leaves nothing behind that this one would trust.
  rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });

  let script: string;
  if (install.packaging === "tar.gz") {
    const download = path.join(home, ".download");
    mvn(["dependency:copy", `-Dartifact=${install.artifact}:${install.version}:tar.gz`, `-DoutputDirectory=${download}`], home);
    const archives = readdirSync(download).filter((f) => f.endsWith(".tar.gz"));
    if (archives.length !== 1) throw new InstallError(`${download}: expected one .tar.gz from ${install.artifact}:${install.version}, found ${archives.length}.`);
    const untar = spawnSync("tar", ["-xzf", path.join(download, archives[0]!), "-C", home], { encoding: "utf8" });
    if (untar.status !== 0) throw new InstallError(`tar could not unpack ${archives[0]}: ${untar.stderr.trim()}`);
    rmSync(download, { recursive: true, force: true });
    const launcher = path.join(home, install.launcher);
    if (!existsSync(launcher)) {
      throw new InstallError(`src/tools/catalog.ts: ${pin.name}.install.launcher "${install.launcher}" is not in the unpacked archive (${home}).`);
    }
    chmodSync(launcher, 0o755);
    script = launcherScript(`exec "${launcher}" "$@"`);
  } else {
    writeFileSync(path.join(home, "pom.xml"), assemblyPom(install));
    mvn(["dependency:copy-dependencies", "-DincludeScope=runtime", `-DoutputDirectory=${path.join(home, "lib")}`], home);
    if (!existsSync(path.join(home, "lib", `${install.artifact.split(":")[1]}-${install.version}.jar`))) {
      throw new InstallError(`${home}/lib: ${install.artifact}:${install.version} was not copied by Maven.`);
    }
    script = launcherScript(`JAVA="\${JAVA_HOME:+$JAVA_HOME/bin/}java"\nexec "$JAVA" -cp "${path.join(home, "lib")}/*" ${install.mainClass} "$@"`);
  }
  writeFileSync(bin, script, { mode: 0o755 });
  chmodSync(bin, 0o755);
  return { bin };
}
