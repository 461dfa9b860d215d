import { z } from "zod";
import { Command, RelativePath } from "./common.js";

/** Incremental database changes, kept as code and deployed by a migration tool. */
export const DatabaseConfig = z
  .strictObject({
    tool: z.enum(["dbmate", "flyway", "liquibase", "custom"]),
    /** Folder of migration files, relative to the source. */
    migrations: RelativePath.default("db/migrations"),
    /** For `liquibase`: the root changelog, relative to `migrations` (default `changelog.xml`). */
    changelog: RelativePath.optional(),
    /** For `custom`: the command run in the application image, with DATABASE_URL and PG* set. */
    command: Command.optional(),
    /** PostgreSQL database name. */
    name: z.string().min(1).default("app"),
  })
  .refine((d) => d.tool !== "custom" || d.command !== undefined, {
    error: "the custom migration tool needs a `command`",
    path: ["command"],
  });
export type DatabaseConfig = z.infer<typeof DatabaseConfig>;
