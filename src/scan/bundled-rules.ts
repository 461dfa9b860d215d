// Where `dpra scan` finds the bundled semgrep rules on this host: next to its own files. From the
// repository (src/scan/) and from the CLI package (dist/src/scan/, with the rules copied to
// dist/modules/semgrep/rules by the build) the folder is at the same relative path.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BUNDLED_SEMGREP_RULES_DIR } from "./scan-settings.js";

/** The host folder of the bundled rules; throws, naming the folder and the fix, when it is missing. */
export function bundledSemgrepRulesDir(from: string = import.meta.url): string {
  const dir = fileURLToPath(new URL(`../../${BUNDLED_SEMGREP_RULES_DIR}`, from));
  if (!existsSync(dir)) {
    throw new Error(
      `semgrep: the bundled rules are missing at ${dir}: this dpra installation is incomplete. ` +
        "Reinstall it (the CLI package ships dist/modules/semgrep/rules; npm run build copies them), " +
        "or name rules (security.semgrep.rules) or registry rulesets (security.semgrep.rulesets) in dpra.yaml.",
    );
  }
  return dir;
}
