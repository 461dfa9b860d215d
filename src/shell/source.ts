import type { Directory } from "@dagger.io/dagger";
import type { ContractSource } from "../config/contract-check.js";
import { CONFIG_FILE, resolveConfig } from "../config/load.js";
import type { DpraConfig } from "../config/schema.js";

/** Reads and resolves the pipeline config of an application source directory. */
export async function loadSourceConfig(source: Directory): Promise<DpraConfig> {
  const listing = await source.entries();
  const text = listing.includes(CONFIG_FILE) ? await source.file(CONFIG_FILE).contents() : undefined;
  return resolveConfig(text, listing);
}

/** An application source directory as the config↔template contract's source of templates. */
export function directoryContractSource(source: Directory): ContractSource {
  return { read: (p) => source.file(p).contents(), describe: (p) => p };
}
