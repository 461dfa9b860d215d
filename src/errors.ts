// The text of a caught value, for error messages and logs. A `catch` can receive anything (a
// string, an object, undefined), so nothing reads `.message` without checking it is an Error.

/** An Error's message; any other thrown value as `String()` writes it. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * An Error as `name: message` (e.g. `ThrottlingException: Rate exceeded`, where the AWS SDK names the
 * error by its code); any other thrown value as `String()` writes it. No stack trace.
 */
export function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
