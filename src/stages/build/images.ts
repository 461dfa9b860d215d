// Images the build stage runs in, each pinned by tag and digest. The digests are multi-arch index
// digests quoted identically by several independent public repositories; bump tag and digest together.
import { TOOLS } from "../../tools/catalog.js";

/** Node build image for the `node` preset (npm, pnpm and yarn through corepack). */
export const NODE_IMAGE = "node:22-bookworm-slim@sha256:83f487e0a63425e5b4d146fb5e5be574bcbe1b7b843d3ebafdd95eaf7767a7e5";

/** Maven build image for the `java-maven` preset. */
export const MAVEN_IMAGE = "maven:3.9.11-eclipse-temurin-21@sha256:6fdc855a6ed81d288ca7ca37ac6ff5e9308b612485c0801d70b25a858c83d237";

/** Java runtime image of the `java-maven` preset's default Dockerfile. */
export const JRE_IMAGE = "eclipse-temurin:21-jre@sha256:7a65df4b22d2de92d4e04056e884f3b9122d70b21e2847fd66084278bd0ce037";

/** cfn-lint runs from PyPI in a pinned Python image; both pins live in the tool catalog. */
export { CFN_LINT_PYTHON_IMAGE } from "../../tools/catalog.js";
export const CFN_LINT_VERSION = TOOLS["cfn-lint"].version;
