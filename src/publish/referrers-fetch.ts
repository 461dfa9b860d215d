// Reads back the referrers of one artifact type attached to a digest, in the ORAS container of
// `orasContainer`: `oras discover` through the OCI referrers API, then one `oras pull` per referrer,
// returning the text of the one file each carries. Anything that cannot be read throws, naming the
// referrer: a reader that decides on these files must not decide on a partial list.
import { ReturnType, type Container } from "@dagger.io/dagger";
import { referrerSubject } from "./referrer-subject.js";
import { orasDiscoverArgs, orasPullArgs, parseDiscoveredReferrers, parsePulledFiles } from "./referrers-read.js";
import { ORAS_CONTAINER_PATHS } from "./referrers.js";

/** One referrer's file: the referrer (`<name>@sha256:...`) and the file's text. */
export interface FetchedReferrerFile {
  source: string;
  text: string;
}

const PULL_ROOT = "/tmp/dpra-referrers";

function tail(text: string): string {
  return text.trim().split("\n").slice(-5).join(" ").slice(-600) || "no error output";
}

/**
 * Every referrer of `subject` with `artifactType`, each pulled and its `fileName` read. The registry
 * must answer the referrers API: a registry without it fails here, it is not taken as "none".
 */
export async function fetchReferrerFiles(base: Container, subject: string, artifactType: string, fileName: string): Promise<FetchedReferrerFile[]> {
  const { name, digest } = referrerSubject(subject);
  const listing = base.withExec(orasDiscoverArgs(subject, artifactType, ORAS_CONTAINER_PATHS), { expect: ReturnType.Any });
  const listed = await listing.exitCode();
  if (listed !== 0) throw new Error(`oras discover of ${name}@${digest} (artifact type ${artifactType}) exited ${listed}: ${tail(await listing.stderr())}`);
  const referrers = parseDiscoveredReferrers(await listing.stdout(), digest, `oras discover ${name}@${digest}`).filter((r) => r.artifactType === artifactType);
  return Promise.all(
    referrers.map(async (r) => {
      const source = `${name}@${r.digest}`;
      const out = `${PULL_ROOT}/${r.digest.slice("sha256:".length)}`;
      const pulled = base.withExec(orasPullArgs(source, out, ORAS_CONTAINER_PATHS), { expect: ReturnType.Any });
      const exit = await pulled.exitCode();
      if (exit !== 0) throw new Error(`oras pull ${source} exited ${exit}: ${tail(await pulled.stderr())}`);
      const files = parsePulledFiles(await pulled.stdout(), `oras pull ${source}`);
      const path = `${out}/${fileName}`;
      if (!files.some((f) => f.path === path)) {
        throw new Error(`oras pull ${source}: the referrer carries ${files.map((f) => f.path).join(", ") || "no file"}, not ${fileName}`);
      }
      return { source, text: await pulled.file(path).contents() };
    }),
  );
}
