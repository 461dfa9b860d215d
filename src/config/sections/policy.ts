import { z } from "zod";
import { RelativePath, Severity } from "./common.js";
import { TRIVY_MISCONFIG_SCANNERS } from "../../../modules/trivy/src/args.js";

export const FindingCategory = z.enum(["secret", "sast", "vulnerability", "misconfiguration", "license", "quality", "test"]);
export type FindingCategory = z.infer<typeof FindingCategory>;

/** The lowest severity that blocks, per category; `never` turns blocking off for that category. */
export const Threshold = z.union([Severity, z.literal("never")]);
export type Threshold = z.infer<typeof Threshold>;

const isoDate = z.iso.date({ error: "expected a date as YYYY-MM-DD" });

export const AllowlistEntry = z
  .strictObject({
    /** Rule ID to allow (e.g. a CVE, a semgrep rule ID, a gitleaks rule). */
    rule: z.string().min(1).optional(),
    /** Fingerprint of one finding to allow. */
    fingerprint: z.string().min(1).optional(),
    /** Restrict the entry to paths starting with this prefix. */
    path: z.string().min(1).optional(),
    /** Restrict the entry to one tool (e.g. `trivy`). */
    tool: z.string().min(1).optional(),
    /** Why this is accepted. Mandatory: accountability. */
    reason: z.string().min(10, { error: "expected a reason of at least 10 characters that explains the acceptance" }),
    /** Last day the entry applies; after it, the finding blocks again and the report says the entry expired. */
    expires: isoDate,
    /** Who accepted it. */
    owner: z.string().optional(),
  })
  .refine((e) => e.rule !== undefined || e.fingerprint !== undefined, {
    error: "an allowlist entry needs a rule or a fingerprint",
  });
export type AllowlistEntry = z.infer<typeof AllowlistEntry>;

export const PolicyConfig = z.strictObject({
  failOn: z
    .strictObject({
      secret: Threshold.default("low"),
      sast: Threshold.default("high"),
      vulnerability: Threshold.default("high"),
      misconfiguration: Threshold.default("high"),
      license: Threshold.default("never"),
      quality: Threshold.default("high"),
      test: Threshold.default("low"),
    })
    .prefault({}),
  /** Do not block on vulnerabilities that have no fixed version yet. */
  ignoreUnfixed: z.boolean().default(false),
  allowlist: z.array(AllowlistEntry).default([]),
  /** A previous findings JSON report: only findings not in it block. */
  baseline: RelativePath.optional(),
  /** Fail when a tool reports errors of its own (e.g. files semgrep could not parse), even without blocking findings. */
  failOnToolErrors: z.boolean().default(false),
});
export type PolicyConfig = z.infer<typeof PolicyConfig>;

export const SecurityConfig = z.strictObject({
  gitleaks: z
    .strictObject({
      /** `dir` scans the working tree; `git` scans the history (the source must then include `.git`). */
      mode: z.enum(["dir", "git"]).default("dir"),
      /** gitleaks TOML config, relative to the source. Default: the source's `.gitleaks.toml`, else gitleaks' rules. */
      config: RelativePath.optional(),
      /** `.gitleaksignore` file, relative to the source. Default: the source's `.gitleaksignore`. */
      ignoreFile: RelativePath.optional(),
      /** `git log` options that select the commits in `git` mode, e.g. `origin/main..HEAD`. */
      logOpts: z.string().min(1).optional(),
    })
    .prefault({}),
  semgrep: z
    .strictObject({
      /** Named registry rulesets (opt-in, e.g. `p/default`); need network access. Without rules or rulesets the bundled dpra-default rules run, offline. */
      rulesets: z.array(z.string().min(1)).default([]),
      /** Local rule files or folders, relative to the source: run offline. */
      rules: z.array(RelativePath).default([]),
      /** Path patterns semgrep skips (`--exclude`). */
      exclude: z.array(z.string()).default([]),
    })
    .prefault({}),
  trivy: z
    .strictObject({
      /** Report only these severities. Default: all; the policy decides what blocks. */
      severity: z.array(z.enum(["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"])).optional(),
      /** `.trivyignore` file, relative to the source. Default: the source's `.trivyignore`. */
      ignoreFile: RelativePath.optional(),
      /** Scanners over the source; `misconfig` runs in the IaC check, the others in SCA. */
      scanners: z.array(z.enum(["vuln", "secret", "misconfig", "license"])).default(["vuln", "secret", "misconfig", "license"]),
      /** Directories trivy skips, relative to the source (e.g. test fixtures with deliberate vulnerabilities). */
      skipDirs: z.array(RelativePath).default([]),
      /**
       * The kinds of configuration trivy's misconfiguration scan checks. Default: what this pipeline
       * builds and deploys, Dockerfiles and CloudFormation; add the others the source holds (e.g.
       * terraform, kubernetes, helm). Each kind costs CPU in every build even when no file of it exists.
       */
      misconfigScanners: z.array(z.enum(TRIVY_MISCONFIG_SCANNERS)).min(1).default(["dockerfile", "cloudformation"]),
    })
    .prefault({}),
});

export const QualityConfig = z.strictObject({
  /** The project's linter. Default for node: ESLint JSON when eslint is a dependency. */
  lint: z
    .strictObject({
      /** Command that runs the linter and writes its report. */
      command: z.string().min(1),
      format: z.enum(["eslint-json", "sarif"]).default("eslint-json"),
      /** The report file the command writes, relative to the application directory. */
      report: RelativePath,
    })
    .optional(),
  /** Infrastructure source folders to check with trivy misconfig and cfn-lint. */
  iac: z
    .strictObject({
      /** Folders holding CloudFormation templates for cfn-lint. */
      paths: z.array(RelativePath).default(["infra"]),
      /** Lint the CloudFormation templates found there with cfn-lint. */
      cfnLint: z.boolean().default(true),
    })
    .prefault({}),
});
