// The one source of truth for the external tools dpra runs: each tool's pinned version, the pinned
// image its Dagger recipe runs in, and how `npm run tools:install` installs that same version on a
// host (for `dpra scan` and the real-tool tests). Recipes and the installer both read this file;
// the gitleaks, semgrep and trivy pins live in their own modules (a Daggerverse module can only
// import its own folder) and are re-read here, never restated.
import { GITLEAKS_DEFAULT_VERSION, gitleaksImageRef } from "../../modules/gitleaks/src/pin.js";
import { SEMGREP_DEFAULT_VERSION, semgrepImageRef } from "../../modules/semgrep/src/pin.js";
import { TRIVY_DEFAULT_VERSION, trivyImageRef } from "../../modules/trivy/src/pin.js";

/** How a tool's pinned version reaches a host, through one of the registries' ordinary clients. */
export type ToolInstall =
  /**
   * `go install <pkg>@<version>` into `.tools/bin`. `ldflags` stamps the version the way the
   * project's own release build does (a plain `go install` prints "dev" or nothing), `env` carries
   * build settings the module needs (trivy 0.74 needs GOEXPERIMENT=jsonv2).
   */
  | { kind: "go"; pkg: string; version: string; ldflags?: string; env?: Readonly<Record<string, string>> }
  /** `pip install <pkg>==<version>` into a venv under `.tools/`. */
  | { kind: "pip"; pkg: string; version: string }
  /**
   * From Maven Central with `mvn dependency:copy` into `.tools/<name>-<version>/`:
   * a distribution archive (`packaging` tar.gz, unpacked; `launcher` is its start script, relative
   * to the unpacked folder), or a jar (`packaging` jar) run as `java -cp <jar and runtime> <mainClass>`,
   * with its transitive dependencies and the extra `runtime` artifacts (`group:artifact:version`).
   */
  | MavenInstall

  /** An npm package that ships the binary (installed as a devDependency at exactly this version). */
  | { kind: "npm"; pkg: string; version: string };

export type MavenInstall =
  | { kind: "maven"; artifact: string; version: string; packaging: "tar.gz"; launcher: string }
  | { kind: "maven"; artifact: string; version: string; packaging: "jar"; runtime: readonly string[]; mainClass: string };

export interface ToolPin {
  /** The tool's name, also its command name on a host. */
  name: string;
  /** The pinned version as the tool prints it (no leading "v"). */
  version: string;
  /** The pinned image (`repository:tag@sha256:...`) the Dagger recipe runs in. */
  image: string;
  install: ToolInstall;
  /** Arguments that make the tool print its version. */
  versionArgs: readonly string[];
  /**
   * Environment every run of the tool needs on a host or in its container. semgrep otherwise asks
   * semgrep.dev for a newer version on every start, which on a closed network hangs for ~100 s.
   */
  runEnv?: Readonly<Record<string, string>>;
  /**
   * Where the version stands in that output (one capture group), for tools that print other
   * versions first (Flyway names a newer release, Liquibase the Java version). Default: the first
   * `N.N.N` printed.
   */
  versionPattern?: RegExp;
}

const bare = (v: string): string => v.replace(/^v/, "");

/**
 * cfn-lint publishes no official image: its recipe runs it from PyPI at the pinned version in this
 * pinned Python image, with the pip cache mounted.
 */
export const CFN_LINT_PYTHON_IMAGE = "python:3.13-slim@sha256:8d9d0b8bcf6506481eae4907c18f5e3e7902e629f5f6d684f9e7c32e85e3ddf0";
const CFN_LINT_VERSION = "1.57.1";

export const TOOLS = {
  gitleaks: {
    name: "gitleaks",
    version: bare(GITLEAKS_DEFAULT_VERSION),
    image: gitleaksImageRef(),
    install: {
      kind: "go",
      pkg: "github.com/zricethezav/gitleaks/v8",
      version: GITLEAKS_DEFAULT_VERSION,
      ldflags: `-s -w -X github.com/zricethezav/gitleaks/v8/version.Version=${GITLEAKS_DEFAULT_VERSION}`,
    },
    versionArgs: ["version"],
  },
  semgrep: {
    name: "semgrep",
    version: SEMGREP_DEFAULT_VERSION,
    image: semgrepImageRef(),
    install: { kind: "pip", pkg: "semgrep", version: SEMGREP_DEFAULT_VERSION },
    versionArgs: ["--version"],
    runEnv: { SEMGREP_ENABLE_VERSION_CHECK: "0" },
  },
  trivy: {
    name: "trivy",
    version: bare(TRIVY_DEFAULT_VERSION),
    image: trivyImageRef(),
    install: {
      kind: "go",
      pkg: "github.com/aquasecurity/trivy/cmd/trivy",
      version: `v${bare(TRIVY_DEFAULT_VERSION)}`,
      ldflags: `-s -w -X github.com/aquasecurity/trivy/pkg/version/app.ver=${bare(TRIVY_DEFAULT_VERSION)}`,
      env: { GOEXPERIMENT: "jsonv2", CGO_ENABLED: "0" },
    },
    versionArgs: ["--version"],
  },
  "cfn-lint": {
    name: "cfn-lint",
    version: CFN_LINT_VERSION,
    image: CFN_LINT_PYTHON_IMAGE,
    install: { kind: "pip", pkg: "cfn-lint", version: CFN_LINT_VERSION },
    versionArgs: ["--version"],
  },
  oras: {
    name: "oras",
    version: "1.3.0",
    image: "ghcr.io/oras-project/oras:v1.3.0@sha256:6ce045ce069a89934d6666b8b49f9c4c0145201bd6de6dbe2aee267814c55468",
    // An empty BuildMetadata makes `oras version` print 1.3.0 rather than 1.3.0+unreleased.
    install: { kind: "go", pkg: "oras.land/oras/cmd/oras", version: "v1.3.0", ldflags: "-s -w -X oras.land/oras/internal/version.BuildMetadata=" },
    versionArgs: ["version"],
  },
  dbmate: {
    name: "dbmate",
    version: "2.36.0",
    image: "ghcr.io/amacneil/dbmate:2.36.0@sha256:520c740c6e0ad73fde2cd1ea7e2b779aaf789d22aca8858f87a478e7094535fb",
    // The Go module proxy refuses dbmate v2.36.0 (403); the npm package `dbmate` ships the same
    // release's binary (root devDependency, exact version).
    install: { kind: "npm", pkg: "dbmate", version: "2.36.0" },
    versionArgs: ["--version"],
  },
  flyway: {
    name: "flyway",
    version: "11.7.2",
    image: "flyway/flyway:11.7.2@sha256:8ace7d9825bb3ad1d6e14ee27b3a830b638ac841ba424b99b2d92aa65a99d484",
    // The platform-independent archive (no classifier): lib/, drivers/ (with the PostgreSQL JDBC
    // driver) and the `flyway` script, which runs the host's Java (17 or later).
    install: { kind: "maven", artifact: "org.flywaydb:flyway-commandline", version: "11.7.2", packaging: "tar.gz", launcher: "flyway-11.7.2/flyway" },
    versionArgs: ["--version"],
    versionPattern: /Flyway \w+ Edition (\d+\.\d+\.\d+)/,
  },
  liquibase: {
    name: "liquibase",
    version: "4.33.0",
    image: "liquibase/liquibase:4.33.0@sha256:e116c935ba22b59a22165207f65c268e363269de30bb1fedacff3755c2abaa8c",
    // Maven Central has no Liquibase distribution archive (liquibase-dist is not published there):
    // liquibase-core with its dependencies, picocli (optional in its POM, needed by the CLI) and
    // the PostgreSQL JDBC driver, run through the CLI's own main class.
    install: {
      kind: "maven",
      artifact: "org.liquibase:liquibase-core",
      version: "4.33.0",
      packaging: "jar",
      runtime: ["info.picocli:picocli:4.7.7", "org.postgresql:postgresql:42.7.7"],
      mainClass: "liquibase.integration.commandline.LiquibaseCommandLine",
    },
    versionArgs: ["--show-banner=false", "--version"],
    versionPattern: /Liquibase Version: (\d+\.\d+\.\d+)/,
  },
} as const satisfies Record<string, ToolPin>;

export type ToolName = keyof typeof TOOLS;
export const TOOL_NAMES = Object.keys(TOOLS) as ToolName[];
