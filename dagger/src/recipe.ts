import { dag, type Container, type Directory } from "@dagger.io/dagger";

/**
 * Node 20 on Debian bookworm: the same major version and libc as the project's own CI machines,
 * which the embedded PostgreSQL binaries of the example's integration tests need.
 */
export const NODE_IMAGE = "node:20-bookworm@sha256:8f693eaa7e0a8e71560c9a82b55fd54c2ae920a2ba5d2cde28bac7d1c01c9ba5";

/** Where the repository sits in the CI container (its test fixtures are part of it, in test/fixtures). */
export const REPO_PATH = "/work/repo";

/** The repository with its dependencies installed from the lockfile, npm's cache mounted. */
export function installed(source: Directory): Container {
  return dag
    .container()
    .from(NODE_IMAGE)
    .withMountedCache("/root/.npm", dag.cacheVolume("dpra-ci-npm"))
    .withEnvVariable("CI", "true")
    .withDirectory(REPO_PATH, source, { exclude: ["node_modules/", "**/node_modules/", "sdk/", ".git/"] })
    .withWorkdir(REPO_PATH)
    .withExec(["npm", "ci", "--no-audit", "--no-fund"]);
}
