// The build stage's scanners, run from the tool modules' own recipes (imported by relative path, so
// each recipe exists once) and normalised to findings.
import { dag, type Container, type Directory, type File } from "@dagger.io/dagger";
import { gitleaksContainer, gitleaksReportPath, gitleaksScan } from "../../../modules/gitleaks/src/gitleaks.js";
import { SEMGREP_JSON_REPORT, semgrepContainer, semgrepScan } from "../../../modules/semgrep/src/semgrep.js";
import { TRIVY_JSON_REPORT, TRIVY_SBOM_REPORT, trivyContainer, trivyFsScan, trivyImageSbom, trivyImageScan, trivySourceSbom } from "../../../modules/trivy/src/trivy.js";
import type { DpraConfig } from "../../config/schema.js";
import { BUNDLED_SEMGREP_RULES_DIR, scaScanners, semgrepConfigLabel, semgrepRuleSelection } from "../../scan/scan-settings.js";
import { emptyOutcome, readScan, scanCompleted, type BuildActionOutcome } from "./outcome.dagger.js";
import { lastLines } from "../../tools/output.js";

export function sourceFile(source: Directory, path: string | undefined): File | undefined {
  return path ? source.file(path) : undefined;
}

/** Secrets detection with gitleaks. Without explicit files, gitleaks reads the source's `.gitleaks.toml` and `.gitleaksignore`, as the pre-commit hook does. */
export async function runSecrets(source: Directory, config: DpraConfig): Promise<BuildActionOutcome> {
  const g = config.security.gitleaks;
  const ran = gitleaksScan(
    gitleaksContainer(),
    source,
    { mode: g.mode, logOpts: g.logOpts, config: sourceFile(source, g.config), ignoreFile: sourceFile(source, g.ignoreFile) },
    "json",
  );
  return readScan(ran, {
    action: "secrets",
    tool: "gitleaks",
    format: "gitleaks-json",
    path: gitleaksReportPath("json"),
    name: "gitleaks.json",
    category: "secret",
    completed: scanCompleted.gitleaks,
    missingMeansEmpty: true,
  });
}

export { BUNDLED_SEMGREP_RULES_DIR, scaScanners } from "../../scan/scan-settings.js";

/** The bundled semgrep rules, from the dpra module's own source (so they travel with the module). */
export function bundledSemgrepRules(): Directory {
  return dag.currentModule().source().directory(BUNDLED_SEMGREP_RULES_DIR);
}

/** SAST with semgrep: local rules offline, registry rulesets when configured, else the bundled rules (offline). */
export async function runSast(source: Directory, config: DpraConfig): Promise<BuildActionOutcome> {
  const s = config.security.semgrep;
  const selection = semgrepRuleSelection(config);
  const { rules, rulesets, bundled } = selection;
  const ran = semgrepScan(semgrepContainer(), source, {
    rules,
    rulesets,
    exclude: s.exclude,
    ...(bundled ? { rulesDir: bundledSemgrepRules(), ruleIdsAsWritten: true } : {}),
  });
  return readScan(ran, {
    action: "sast",
    tool: "semgrep",
    format: "semgrep-json",
    path: SEMGREP_JSON_REPORT,
    name: "semgrep.json",
    category: "sast",
    completed: scanCompleted.semgrep,
    sastConfig: semgrepConfigLabel(selection),
  });
}

/** SCA with trivy over the source: dependency vulnerabilities, licenses (and secrets when configured). */
export async function runSca(source: Directory, config: DpraConfig): Promise<BuildActionOutcome> {
  const t = config.security.trivy;
  const scanners = scaScanners(config);
  if (scanners.length === 0) return emptyOutcome("sca");
  const ran = trivyFsScan(trivyContainer(), source, {
    scanners,
    severities: t.severity,
    ignoreFile: sourceFile(source, t.ignoreFile),
    skipDirs: t.skipDirs,
  });
  return readScan(ran, {
    action: "sca",
    tool: "trivy",
    format: "trivy-json",
    path: TRIVY_JSON_REPORT,
    name: "trivy-fs.json",
    category: "vulnerability",
    completed: scanCompleted.trivy,
  });
}

/** Vulnerabilities and secrets in the packaged image (OS and language packages). */
export async function runImageScan(image: Container, source: Directory, config: DpraConfig): Promise<BuildActionOutcome> {
  const t = config.security.trivy;
  const ran = trivyImageScan(trivyContainer(), image, { severities: t.severity, ignoreFile: sourceFile(source, t.ignoreFile) });
  return readScan(ran, {
    action: "image-scan",
    tool: "trivy",
    format: "trivy-json",
    path: TRIVY_JSON_REPORT,
    name: "trivy-image.json",
    category: "vulnerability",
    completed: scanCompleted.trivy,
  });
}

/** Reads an SBOM run: the CycloneDX file, or a failure when trivy wrote none. */
async function readSbom(action: "sbom" | "image-sbom", ran: Container, name: string): Promise<BuildActionOutcome> {
  const outcome = emptyOutcome(action);
  const exitCode = await ran.exitCode();
  if (exitCode !== 0 || !(await ran.exists(TRIVY_SBOM_REPORT))) {
    outcome.failures.push(`${action}: trivy exited ${exitCode} without a CycloneDX SBOM: ${lastLines(await ran.stderr()) || "no output"}`);
    return outcome;
  }
  outcome.files.push({ name, file: ran.file(TRIVY_SBOM_REPORT) });
  return outcome;
}

/** A CycloneDX SBOM of the source's dependencies (lockfiles, manifests). */
export async function runSbom(source: Directory): Promise<BuildActionOutcome> {
  return readSbom("sbom", trivySourceSbom(trivyContainer(), source), "sbom.cdx.json");
}

/** A CycloneDX SBOM of the packaged image: what is deployed, OS packages included. */
export async function runImageSbom(image: Container): Promise<BuildActionOutcome> {
  return readSbom("image-sbom", trivyImageSbom(trivyContainer(), image), "sbom-image.cdx.json");
}
