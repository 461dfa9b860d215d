import type { DpraConfig } from "./schema.js";
import type { PackageManager, Preset } from "./sections/build.js";
import { DatabaseConfig } from "./sections/database.js";

/** The file names at the root of the application source (directories end with `/`, as Dagger lists them). */
export type SourceListing = readonly string[];

const LOCKFILES: ReadonlyArray<[string, PackageManager]> = [
  ["pnpm-lock.yaml", "pnpm"],
  ["yarn.lock", "yarn"],
  ["package-lock.json", "npm"],
  ["npm-shrinkwrap.json", "npm"],
];

export function detectPreset(listing: SourceListing): Preset | undefined {
  if (listing.includes("package.json")) return "node";
  if (listing.includes("pom.xml")) return "java-maven";
  return undefined;
}

export function detectPackageManager(listing: SourceListing): PackageManager {
  return LOCKFILES.find(([file]) => listing.includes(file))?.[1] ?? "npm";
}

/** Fills what the file leaves out from what the source holds. Explicit settings always win. */
export function detectDefaults(config: DpraConfig, listing: SourceListing): DpraConfig {
  const preset = config.build.preset ?? detectPreset(listing);
  if (preset === undefined) {
    throw new Error(
      "dpra.yaml: build.preset is not set and could not be detected: the source has neither package.json nor pom.xml. " +
        "Set build.preset to node, java-maven or generic (with build.image and build.commands).",
    );
  }
  if (preset === "generic" && config.build.image === undefined) {
    throw new Error("dpra.yaml: build.image is required for the generic preset: set it to an image pinned by digest.");
  }
  const packageManager = preset === "node" ? (config.build.packageManager ?? detectPackageManager(listing)) : undefined;
  return {
    ...config,
    build: { ...config.build, preset, packageManager },
    database: config.database ?? (listing.includes("db/") ? DatabaseConfig.parse({ tool: "dbmate" }) : undefined),
  };
}
