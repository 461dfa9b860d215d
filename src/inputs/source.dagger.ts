import type { Directory } from "@dagger.io/dagger";
import type { ContractSource } from "../config/contract-check.js";
import { CONFIG_FILE, resolveConfig } from "../config/load.js";
import type { DpraConfig } from "../config/schema.js";
import type { Finding } from "../findings/model.js";
import { parseReport } from "../findings/parse.js";

/** Reads and resolves the pipeline config of an application source directory. */
export async function loadSourceConfig(source: Directory): Promise<DpraConfig> {
  const listing = await source.entries();
  const text = listing.includes(CONFIG_FILE) ? await source.file(CONFIG_FILE).contents() : undefined;
  return resolveConfig(text, listing);
}

/**
 * The baseline findings `policy.baseline` names, read from the source: any report the parser reads
 * (a dpra gate JSON report, SARIF, a tool's own JSON). The build and publish gates both use it.
 */
export async function loadBaseline(source: Directory, config: DpraConfig): Promise<Finding[] | undefined> {
  const path = config.policy.baseline;
  if (!path) return undefined;
  if (!(await source.exists(path))) {
    throw new Error(`dpra.yaml: policy.baseline names ${path}, which is not in the source. Commit the baseline report or remove the setting.`);
  }
  return parseReport(await source.file(path).contents(), { file: path }).findings;
}

/** An application source directory as the config↔template contract's source of templates. */
export function directoryContractSource(source: Directory): ContractSource {
  return { read: (p) => source.file(p).contents(), describe: (p) => p };
}
