// A minimal reader for an AWS shared config or credentials file passed as a Dagger Secret.
// The module never writes it to disk: it is parsed in memory into one of the credential kinds below.
// Profiles that need local state or programs (SSO caches, credential_process) cannot work inside
// a pipeline container; they fail with a message naming the supported alternatives.

export interface ProfileCredentials {
  /** Static keys of the profile (or of its `source_profile`). */
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Set when the profile assumes a role on top of its source keys. */
  roleArn?: string;
  externalId?: string;
  region?: string;
}

type Section = Record<string, string>;

/** Parses INI text into sections; `[profile x]` (config file) and `[x]` (credentials file) both name profile x. */
export function parseIni(text: string): Map<string, Section> {
  const sections = new Map<string, Section>();
  let current: Section | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[\s*(?:profile\s+)?([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      const name = header[1]!;
      current = sections.get(name) ?? {};
      sections.set(name, current);
      continue;
    }
    const eq = line.indexOf("=");
    if (eq > 0 && current) current[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  return sections;
}

const UNSUPPORTED_KEYS = ["sso_session", "sso_start_url", "credential_process", "web_identity_token_file", "credential_source"];

/** Resolves one profile to keys (plus an optional role to assume). Errors name the profile, never a value. */
export function resolveProfile(text: string, profile: string): ProfileCredentials {
  const sections = parseIni(text);
  const chain: string[] = [];
  let name = profile;
  let roleArn: string | undefined;
  let externalId: string | undefined;
  let region: string | undefined;
  for (;;) {
    if (chain.includes(name)) {
      throw new Error(`AWS profile file: source_profile loop ${[...chain, name].join(" -> ")}; fix the source_profile entries.`);
    }
    chain.push(name);
    const section = sections.get(name);
    if (!section) {
      const known = [...sections.keys()].join(", ") || "none";
      throw new Error(`AWS profile file: profile "${name}" not found (profiles in the file: ${known}).`);
    }
    region ??= section.region;
    const unsupported = UNSUPPORTED_KEYS.find((k) => k in section);
    if (unsupported) {
      throw new Error(
        `AWS profile file: profile "${name}" uses ${unsupported}, which needs local files or programs the pipeline container ` +
          "does not have. Pass static keys, or a web-identity token with a role ARN, instead (see docs/aws-credentials.md).",
      );
    }
    if (section.role_arn && section.source_profile) {
      if (roleArn !== undefined) {
        throw new Error(`AWS profile file: profile "${profile}" chains more than one role; point it at a profile with keys, and let dpra assume the environment role.`);
      }
      roleArn = section.role_arn;
      externalId = section.external_id;
      name = section.source_profile;
      continue;
    }
    const accessKeyId = section.aws_access_key_id;
    const secretAccessKey = section.aws_secret_access_key;
    if (!accessKeyId || !secretAccessKey) {
      throw new Error(`AWS profile file: profile "${name}" has neither aws_access_key_id with aws_secret_access_key nor role_arn with source_profile.`);
    }
    return {
      accessKeyId,
      secretAccessKey,
      ...(section.aws_session_token ? { sessionToken: section.aws_session_token } : {}),
      ...(roleArn ? { roleArn } : {}),
      ...(externalId ? { externalId } : {}),
      ...(region ? { region } : {}),
    };
  }
}
