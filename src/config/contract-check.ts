import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseCloudFormationTemplate } from "../cloudformation/template.js";
import { checkContract, contractEnvironments } from "./contract.js";
import { ConfigError } from "./errors.js";
import type { DpraConfig } from "./schema.js";

/**
 * Reads each environment's template under `source` and throws a ConfigError naming the template file
 * when the config↔template contract is violated for any environment a release to `target` deploys.
 */
export function assertContract(config: DpraConfig, target: string, source: string): void {
  for (const envName of contractEnvironments(target)) {
    const env = config.environments[envName];
    if (env === undefined) continue;
    const file = path.join(source, env.template);
    if (!existsSync(file)) {
      throw new ConfigError(file, [{ path: `environments.${envName}.template`, message: `names ${env.template}, which does not exist under the source; add the template or fix the path` }]);
    }
    const problems = checkContract(config, envName, parseCloudFormationTemplate(readFileSync(file, "utf8"), file), env.template);
    if (problems.length > 0) throw new ConfigError(file, problems.map((p) => ({ ...p, path: `[${envName}] ${p.path}` })));
  }
}
