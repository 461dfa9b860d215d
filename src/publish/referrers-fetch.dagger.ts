// Reads back the referrers of one artifact type attached to a digest: `oras discover` through the
// OCI referrers API, then one `oras pull` per referrer, returning the text of the one file each
// carries. The reading logic runs ORAS through a port, so that the Dagger recipe (the ORAS
// container of `orasContainer`) and a real ORAS on a host run the same code. Anything that cannot
// be read throws, naming the referrer: a reader that decides on these files must not decide on a
// partial list.
import { ReturnType, type Container } from "@dagger.io/dagger";
import { referrerSubject } from "./referrer-subject.js";
import { orasDiscoverArgs, orasPullArgs, parseDiscoveredReferrers, parsePulledFiles, type OrasReadPaths } from "./referrers-read.js";
import { ORAS_CONTAINER_PATHS } from "./referrers.dagger.js";
import { lastLinesInline } from "../tools/output.js";

/** One referrer's file: the referrer (`<name>@sha256:...`) and the file's text. */
export interface FetchedReferrerFile {
  source: string;
  text: string;
}

/** One ORAS command's result, and the files it left (read by absolute path). */
export interface OrasExec {
  exitCode: number;
  stdout: string;
  stderr: string;
  readFile(path: string): Promise<string>;
}

/** Runs one ORAS argv (as `orasDiscoverArgs`/`orasPullArgs` build it) where ORAS and the login are. */
export interface OrasExecutor {
  paths: OrasReadPaths;
  /** Absolute folder `oras pull` writes into (one subfolder per referrer). */
  pullRoot: string;
  run(argv: string[]): Promise<OrasExec>;
}

const tail = (text: string): string => lastLinesInline(text) || "no error output";

/**
 * Every referrer of `subject` with `artifactType`, each pulled and its `fileName` read. The registry
 * must answer the referrers API: a registry without it fails here, it is not taken as "none".
 */
export async function readReferrerFiles(oras: OrasExecutor, subject: string, artifactType: string, fileName: string): Promise<FetchedReferrerFile[]> {
  const { name, digest } = referrerSubject(subject);
  const listing = await oras.run(orasDiscoverArgs(subject, artifactType, oras.paths));
  if (listing.exitCode !== 0) throw new Error(`oras discover of ${name}@${digest} (artifact type ${artifactType}) exited ${listing.exitCode}: ${tail(listing.stderr)}`);
  const referrers = parseDiscoveredReferrers(listing.stdout, digest, `oras discover ${name}@${digest}`).filter((r) => r.artifactType === artifactType);
  return Promise.all(
    referrers.map(async (r) => {
      const source = `${name}@${r.digest}`;
      const out = `${oras.pullRoot}/${r.digest.slice("sha256:".length)}`;
      const pulled = await oras.run(orasPullArgs(source, out, oras.paths));
      if (pulled.exitCode !== 0) throw new Error(`oras pull ${source} exited ${pulled.exitCode}: ${tail(pulled.stderr)}`);
      const files = parsePulledFiles(pulled.stdout, `oras pull ${source}`);
      const path = `${out}/${fileName}`;
      if (!files.some((f) => f.path === path)) throw new Error(`oras pull ${source}: the referrer carries ${files.map((f) => f.path).join(", ") || "no file"}, not ${fileName}`);
      return { source, text: await pulled.readFile(path) };
    }),
  );
}

/** The Dagger executor: each argv is an exec in `base` (the logged-in ORAS container). */
export function containerExecutor(base: Container): OrasExecutor {
  return {
    paths: ORAS_CONTAINER_PATHS,
    pullRoot: "/tmp/dpra-referrers",
    run: async (argv) => {
      const ran = base.withExec(argv, { expect: ReturnType.Any });
      const exitCode = await ran.exitCode();
      return { exitCode, stdout: exitCode === 0 ? await ran.stdout() : "", stderr: exitCode === 0 ? "" : await ran.stderr(), readFile: (path) => ran.file(path).contents() };
    },
  };
}
