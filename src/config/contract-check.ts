import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseCloudFormationTemplate } from "./template.js";
import { checkContract, type ContractEnvironment } from "./contract.js";
import { ConfigError } from "./errors.js";
import type { DpraConfig } from "./schema.js";
import { errorMessage } from "../errors.js";

/** Where the templates are read from: the host folder, a Dagger Directory, or the caller's reader. */
export interface ContractSource {
  /** Reads a file by its path relative to the source; rejects when it cannot be read. */
  read(relativePath: string): Promise<string>;
  /** How errors name the file (the host path, or the path inside the source). */
  describe(relativePath: string): string;
}

/** The host folder `dir` as a contract source (`dpra plan`, `dpra deploy`). */
export function hostContractSource(dir: string): ContractSource {
  return { read: (p) => readFile(path.resolve(dir, p), "utf8"), describe: (p) => path.join(dir, p) };
}

/**
 * The one check of the config↔template contract, run by `plan`, `config`, `deploy`, `diff` and
 * `release` before any AWS call: reads each environment's template from `source` and throws a
 * ConfigError naming the template file when the contract is violated for any of `envNames`.
 * Environments that dpra.yaml does not define are skipped.
 */
export async function assertContract(config: DpraConfig, envNames: readonly ContractEnvironment[], source: ContractSource): Promise<void> {
  for (const envName of envNames) {
    const env = config.environments[envName];
    if (env === undefined) continue;
    const file = source.describe(env.template);
    let text: string;
    try {
      text = await source.read(env.template);
    } catch (err) {
      const reason = errorMessage(err);
      throw new ConfigError(file, [
        { path: `environments.${envName}.template`, message: `names ${env.template}, which cannot be read from the source (${reason}); add the template or fix the path` },
      ]);
    }
    const problems = checkContract(config, envName, parseCloudFormationTemplate(text, file), env.template);
    if (problems.length > 0)
      throw new ConfigError(
        file,
        problems.map((p) => ({ ...p, path: `[${envName}] ${p.path}` })),
      );
  }
}
