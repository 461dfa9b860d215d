// The one parser of a referrer's subject: `<registry host>/<repository>@sha256:<64 hex>`, never a tag.
import { DIGEST_PATTERN } from "../digest.js";

const SUBJECT = new RegExp(`^([^\\s@]+)@(${DIGEST_PATTERN})$`);

/** `<host>/<repository>@sha256:...` split in name and digest; a tag is refused (tags move, digests do not). */
export function referrerSubject(reference: string): { name: string; digest: string } {
  const match = SUBJECT.exec(reference.trim());
  const name = match?.[1];
  if (!match || !name || /:[^/]*$/.test(name)) {
    throw new Error(`referrers attach to a digest: expected <registry host>/<repository>@sha256:<64 hex>, without a tag, got "${reference}".`);
  }
  return { name, digest: match[2]! };
}
