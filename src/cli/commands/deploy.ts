// `dpra deploy` and `dpra diff`: the Dagger `deploy` and `diff` functions without an engine, on the
// same Dagger-free core (src/deploy/core.ts). Credentials, region and endpoint come the standard
// SDK way (AWS_PROFILE, AWS_ACCESS_KEY_ID..., web identity, AWS_REGION, AWS_ENDPOINT_URL); the
// environment's role in dpra.yaml is chained from them. Progress goes to stderr, the result to stdout.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ApprovalError } from "../../actions/approval/approval.js";
import { runIdentityFrom, sdkDefaultChainIdentity } from "../../aws/credentials/run-identity.js";
import type { EnvironmentDeployment } from "../../actions/progressive-deployment/deploy.js";
import { PinnedImage } from "../../config/sections/common.js";
import { awsEnvironmentOf, deployCore, deploymentFacts, deploymentFailed, deploymentSummary, type DeployCoreArgs } from "../../deploy/core.js";
import { commandFailure, oneOf, parseCommand } from "../args.js";
import { requireDirectory } from "../input.js";
import { EXIT, EXIT_CODES_HELP, UsageError, type CliCommand, type CliIO } from "../io.js";
import { loadHostConfig } from "../source-config.js";
import { errorMessage } from "../../errors.js";

type Mode = "deploy" | "diff";
const FORMATS = ["text", "json"] as const;

function usage(mode: Mode): string {
  const what =
    mode === "deploy"
      ? "Deploys the environment's CloudFormation stack (change set, execute, alarms watched, explicit rollback\non failure), wave by wave, with the image pinned by digest. Prod needs an approval."
      : "Creates and describes the environment's change sets without executing them (no approval needed).";
  return `Usage: dpra ${mode} --env gamma|prod --image <repo@sha256:...> [--source <dir>] [options]

${what}

Options:
      --env <env>             gamma or prod (an environment of dpra.yaml)
      --image <ref>           the image to deploy, pinned by digest (registry/repository@sha256:...)
      --source <dir>          application folder holding dpra.yaml and the template (default: the current folder)
      --run-id <id>           names the change sets and role sessions; pass it again to resume (default: from the content)
${
  mode === "deploy"
    ? `      --ci-environment <env>  prod approval: the protected CI environment the job runs in
      --ci-vars <lines>       prod approval: the CI's variables as KEY=VALUE lines ("$(env | grep ^GITHUB_)")
      --approved-by <name>    prod approval: who approved (on its own only where approval.sources lists explicit)
`
    : ""
}  -f, --format <fmt>          ${FORMATS.join(", ")} (default: text)
  -h, --help                  show this help

AWS credentials, region and endpoint: the SDK's own (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY,
AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, AWS_ENDPOINT_URL); environments.<env>.roleArn is assumed from them.

${EXIT_CODES_HELP}`;
}

const OPTIONS = {
  env: { type: "string" },
  image: { type: "string" },
  source: { type: "string" },
  "run-id": { type: "string" },
  "ci-environment": { type: "string" },
  "ci-vars": { type: "string" },
  "approved-by": { type: "string" },
  format: { type: "string", short: "f", default: "text" },
} as const;

export type DeployIo = Pick<CliIO, "stdout" | "stderr" | "cwd"> & Partial<Pick<CliIO, "stdin">>;

/** Runs `dpra deploy` or `dpra diff`; resolves to the exit code. `core` is for tests (fake clients). */
export async function deployCommand(mode: Mode, argv: readonly string[], io: DeployIo, core: Partial<Pick<DeployCoreArgs, "makeClients">> = {}): Promise<number> {
  const parsed = parseCommand({ name: mode, usage: usage(mode), options: OPTIONS }, argv, io);
  if (typeof parsed === "number") return parsed;
  const v = parsed.values;
  let format: (typeof FORMATS)[number];
  try {
    format = oneOf("--format", v.format, FORMATS);
    if (!v.env) throw new UsageError("--env is required (gamma or prod)");
    if (!v.image) throw new UsageError("--image is required: the image to deploy, pinned by digest (registry/repository@sha256:...)");
    const pinned = PinnedImage.safeParse(v.image);
    if (!pinned.success) throw new UsageError(`--image "${v.image}": ${pinned.error.issues[0]?.message ?? "expected an image pinned by digest"}`);
    if (mode === "diff" && (v["approved-by"] || v["ci-environment"] || v["ci-vars"])) throw new UsageError("dpra diff executes nothing and takes no approval");
  } catch (err) {
    io.stderr(`dpra ${mode}: ${errorMessage(err)}\n\n${usage(mode)}\n`);
    return EXIT.usage;
  }
  let deployment: EnvironmentDeployment;
  try {
    const source = v.source === undefined ? io.cwd : await requireDirectory("--source", v.source, io.cwd);
    const config = await loadHostConfig(source, io);
    try {
      awsEnvironmentOf(config, v.env);
    } catch (err) {
      throw new UsageError(errorMessage(err));
    }
    const approval = {
      ...(v["ci-environment"] ? { ciEnvironment: v["ci-environment"] } : {}),
      ...(v["ci-vars"] ? { ciVars: v["ci-vars"] } : {}),
      ...(v["approved-by"] ? { approvedBy: v["approved-by"] } : {}),
    };
    deployment = await deployCore({
      config,
      readSourceFile: (p) => readFile(path.resolve(source, p), "utf8"),
      describeSourceFile: (p) => path.join(source, p),
      env: v.env,
      image: v.image,
      preview: mode === "diff",
      ...(v["run-id"] ? { runId: v["run-id"] } : {}),
      approval,
      // The first hop is already this role with web identity: chaining into it again would be refused.
      identity: async (o) =>
        runIdentityFrom(sdkDefaultChainIdentity(), { app: o.app, runId: o.runId, ...(process.env.AWS_ROLE_ARN ? { entryRole: process.env.AWS_ROLE_ARN } : {}) }),
      ...core,
      log: (line) => io.stderr(`${line}\n`),
    });
  } catch (err) {
    if (err instanceof ApprovalError) {
      io.stderr(`dpra ${mode}: ${err.message}\n`);
      return EXIT.blocked;
    }
    if (err instanceof UsageError || (err as { name?: string }).name === "ConfigError") return commandFailure(mode, err, io);
    // An AWS call that failed before the deploy could report: the SDK's message names the call.
    io.stderr(`dpra ${mode}: ${errorMessage(err)}\n`);
    return EXIT.blocked;
  }
  const facts = deploymentFacts(deployment);
  if (format === "json") {
    const regions = deployment.regions.map((r, i) => ({
      ...facts.regions[i],
      changeSet: r.stack?.changeSetName ?? "",
      diff: r.stack?.diffText ?? "",
      outputs: r.stack?.outputs ?? [],
    }));
    io.stdout(
      `${JSON.stringify({ schema: "dpra-deploy/v1", mode, image: deployment.image, runId: deployment.runId, ...facts, regions, durationMs: Math.round(deployment.durationMs) }, null, 2)}\n`,
    );
  } else {
    const diffs = deployment.regions.map((r) => r.stack?.diffText ?? "").filter((d) => d !== "");
    io.stdout(`${deploymentSummary(facts)}\n${diffs.length > 0 ? `\n${diffs.join("\n\n")}\n` : ""}`);
  }
  return deploymentFailed(deployment) ? EXIT.blocked : EXIT.ok;
}

export const deployCliCommand: CliCommand = {
  name: "deploy",
  summary: "deploy an AWS environment's CloudFormation stack without an engine",
  run: (args, io) => deployCommand("deploy", args, io),
};

export const diffCliCommand: CliCommand = {
  name: "diff",
  summary: "show an AWS environment's change sets without executing them",
  run: (args, io) => deployCommand("diff", args, io),
};
