// IaC checks: trivy misconfiguration over the source (IaC and Dockerfiles) and cfn-lint over the
// CloudFormation templates in the IaC folders.
import { dag, ReturnType, type Container, type Directory } from "@dagger.io/dagger";
import { TRIVY_JSON_REPORT, trivyContainer, trivyFsScan } from "../../../modules/trivy/src/trivy.js";
import type { DpraConfig } from "../../config/schema.js";
import { CFN_LINT_PYTHON_IMAGE, CFN_LINT_VERSION } from "./images.js";
import { emptyOutcome, mergeOutcomes, readScan, scanCompleted, type BuildActionOutcome } from "./outcome.dagger.js";
import { sourceFile } from "./scanners.dagger.js";
import { CFN_LINT_REPORT, cfnLintArgs, hasTemplateExtension, isCfnTemplate } from "../../scan/cfn-lint-args.js";

/** CloudFormation templates under the IaC folders: YAML/JSON files that declare AWS resources. */
export async function findTemplates(source: Directory, paths: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const root of paths) {
    if (!(await source.exists(root))) continue;
    const candidates = (await source.glob(`${root.replace(/\/$/, "")}/**/*`)).filter(hasTemplateExtension);
    const contents = await Promise.all(candidates.map(async (p) => [p, await source.file(p).contents()] as const));
    found.push(...contents.filter(([, text]) => isCfnTemplate(text)).map(([p]) => p));
  }
  return [...new Set(found)].sort();
}

export { CFN_LINT_REPORT } from "../../scan/cfn-lint-args.js";

/** cfn-lint from PyPI at a pinned version, in a pinned Python image, with the pip cache mounted. */
export function cfnLintContainer(): Container {
  return dag
    .container()
    .from(CFN_LINT_PYTHON_IMAGE)
    .withMountedCache("/root/.cache/pip", dag.cacheVolume("dpra-pip"))
    .withExec(["pip", "install", "--no-input", "--disable-pip-version-check", `cfn-lint==${CFN_LINT_VERSION}`]);
}

/** IaC checks: trivy misconfiguration over the source (IaC and Dockerfiles), cfn-lint over CloudFormation templates. */
export async function runIac(source: Directory, config: DpraConfig): Promise<BuildActionOutcome> {
  const iac = config.quality.iac;
  const t = config.security.trivy;
  const misconfig = (async () => {
    if (!t.scanners.includes("misconfig")) return emptyOutcome("iac");
    const ran = trivyFsScan(trivyContainer(), source, {
      scanners: ["misconfig"],
      severities: t.severity,
      ignoreFile: sourceFile(source, t.ignoreFile),
      skipDirs: t.skipDirs,
      misconfigScanners: t.misconfigScanners,
    });
    return readScan(ran, {
      action: "iac",
      tool: "trivy",
      format: "trivy-json",
      path: TRIVY_JSON_REPORT,
      name: "trivy-misconfig.json",
      category: "misconfiguration",
      completed: scanCompleted.trivy,
    });
  })();
  const cfnLint = (async () => {
    if (!iac.cfnLint) return emptyOutcome("iac");
    const templates = await findTemplates(source, iac.paths);
    if (templates.length === 0) return emptyOutcome("iac");
    const ran = cfnLintContainer()
      .withMountedDirectory("/src", source)
      .withWorkdir("/src")
      .withDirectory("/reports", dag.directory())
      .withExec(cfnLintArgs(templates), { expect: ReturnType.Any });
    return readScan(ran, {
      action: "iac",
      tool: "cfn-lint",
      format: "cfn-lint-json",
      path: CFN_LINT_REPORT,
      name: "cfn-lint.json",
      category: "misconfiguration",
      completed: scanCompleted.cfnLint,
    });
  })();
  return mergeOutcomes("iac", await Promise.all([misconfig, cfnLint]));
}
