import { z } from "zod";
import { ArtifactConfig } from "./sections/artifact.js";
import { BuildConfig, TestsConfig } from "./sections/build.js";
import { DatabaseConfig } from "./sections/database.js";
import { EnvironmentsConfig } from "./sections/environments.js";
import { PolicyConfig, QualityConfig, SecurityConfig } from "./sections/policy.js";
import { ApprovalConfig, CapacityConfig, ChaosConfig, SyntheticsConfig } from "./sections/verification.js";

/** The whole `dpra.yaml`. Each section lives in `sections/` so that it can grow on its own. */
export const DpraConfig = z.strictObject({
  /** Schema version of this file. */
  version: z.literal(1).default(1),
  /** Application name; used for image, stack and session names. */
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,62}$/, { error: "expected a name of lowercase letters, digits and -, starting with a letter" })
    .optional(),
  build: BuildConfig.prefault({}),
  tests: TestsConfig.prefault({}),
  quality: QualityConfig.prefault({}),
  security: SecurityConfig.prefault({}),
  policy: PolicyConfig.prefault({}),
  artifact: ArtifactConfig.optional(),
  database: DatabaseConfig.optional(),
  environments: EnvironmentsConfig.prefault({}),
  synthetics: SyntheticsConfig.optional(),
  capacity: CapacityConfig.optional(),
  chaos: ChaosConfig.optional(),
  approval: ApprovalConfig.prefault({}),
});

/** The config after defaults are applied. */
export type DpraConfig = z.infer<typeof DpraConfig>;
/** The config as written in the file. */
export type DpraConfigInput = z.input<typeof DpraConfig>;

/** JSON Schema for editors (`schema/dpra.schema.json`). */
export function dpraJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(DpraConfig, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return {
    ...schema,
    $id: "https://dpra.dev/schema/dpra.schema.json",
    title: "dpra.yaml",
    description: "Configuration of the dpra deployment pipeline for one application.",
  };
}
