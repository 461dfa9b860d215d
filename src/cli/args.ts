import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError } from "../config/errors.js";
import { ReportError } from "../findings/errors.js";
import { EXIT, UsageError, type CliIO } from "./io.js";
import { errorMessage } from "../errors.js";

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig["options"]>;

const COMMON = { help: { type: "boolean", short: "h" } } as const satisfies ParseArgsOptionsConfig;

export interface CommandSpec<O extends ParseArgsOptionsConfig> {
  /** The command's name, prefixed to messages: `dpra <name>: ...`. */
  name: string;
  /** The whole --help text (ending with EXIT_CODES_HELP). */
  usage: string;
  options: O;
  /** True when the command takes positional arguments (report files). */
  positionals?: boolean;
}

type Parsed<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: O & typeof COMMON; allowPositionals: true; strict: true }>>;

/**
 * Parses a command's arguments with node:util parseArgs (strict; `--flag value` and `--flag=value`;
 * `-` is a positional). Returns the values, or the exit code when the command is done: 0 after
 * printing --help, 2 after printing a usage error with the usage text.
 */
export function parseCommand<O extends ParseArgsOptionsConfig>(spec: CommandSpec<O>, args: readonly string[], io: Pick<CliIO, "stdout" | "stderr">): Parsed<O> | number {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args: [...args], options: { ...spec.options, ...COMMON }, allowPositionals: true, strict: true }) as Parsed<O>;
  } catch (err) {
    io.stderr(`dpra ${spec.name}: ${errorMessage(err)}\n\n${spec.usage}\n`);
    return EXIT.usage;
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout(`${spec.usage}\n`);
    return EXIT.ok;
  }
  if (!spec.positionals && parsed.positionals.length > 0) {
    io.stderr(`dpra ${spec.name}: unexpected argument "${parsed.positionals[0]}"\n\n${spec.usage}\n`);
    return EXIT.usage;
  }
  return parsed;
}

/** Checks a string option against its allowed values; the error lists them. */
export function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(", ")}, not "${value}"`);
  return value as T;
}

/**
 * The one way a command reports a thrown error: known input problems (UsageError, ConfigError,
 * ReportError) print their message, anything else its stack; both exit 2 (unusable input).
 */
export function commandFailure(name: string, err: unknown, io: Pick<CliIO, "stderr">): number {
  const missing = missingPackage(err);
  if (err instanceof UsageError || err instanceof ConfigError || err instanceof ReportError) {
    io.stderr(`dpra ${name}: ${err.message}\n`);
  } else if (missing) {
    io.stderr(`dpra ${name}: this command needs ${missing}, an optional peer dependency of @dpra/cli; install it next to the CLI (npm install ${missing}@3) and run again\n`);
  } else {
    io.stderr(`dpra ${name}: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  return EXIT.usage;
}

/** The package a dynamic import could not find (the AWS SDK is an optional peer of @dpra/cli). */
function missingPackage(err: unknown): string | undefined {
  if ((err as NodeJS.ErrnoException | undefined)?.code !== "ERR_MODULE_NOT_FOUND") return undefined;
  return /Cannot find package '(@aws-sdk\/[a-z0-9-]+)'/.exec(errorMessage(err))?.[1];
}
