// Level 4 (fixture unit test): readReferrerFiles over a scripted ORAS executor: the argv it runs
// (discover, then one pull per referrer of the asked type), the files it returns, and the errors
// that stop a reader from deciding on a partial list.
import { describe, expect, it } from "vitest";
import { readReferrerFiles, type OrasExec, type OrasExecutor } from "../../src/publish/referrers-fetch.dagger.js";

const D = (c: string) => `sha256:${c.repeat(64)}`;
const NAME = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/fruit-api";
const SUBJECT = `${NAME}@${D("a")}`;
const TYPE = "application/vnd.dpra.gamma-verdict.v1+json";

function executor(script: (argv: string[]) => Partial<OrasExec>): OrasExecutor & { ran: string[][] } {
  const ran: string[][] = [];
  return {
    ran,
    paths: { registryConfig: "/cfg/config.json" },
    pullRoot: "/pulled",
    run: async (argv) => {
      ran.push(argv);
      return { exitCode: 0, stdout: "", stderr: "", readFile: async (p) => `text of ${p}`, ...script(argv) };
    },
  };
}

const listing = (referrers: Array<{ digest: string; artifactType?: string }>) =>
  JSON.stringify({ digest: D("a"), referrers: referrers.map((r) => ({ ...r, mediaType: "application/vnd.oci.image.manifest.v1+json" })) });
const pulled = (argv: string[], file = "gamma-verdict.json") =>
  JSON.stringify({ files: [{ path: `${argv[argv.indexOf("--output") + 1]}/${file}`, digest: D("f"), mediaType: TYPE }] });

describe("readReferrerFiles", () => {
  it("discovers the subject's referrers of the type, pulls each into its own folder and reads the file; other types are left alone", async () => {
    const oras = executor((argv) =>
      argv[1] === "discover"
        ? {
            stdout: listing([
              { digest: D("1"), artifactType: TYPE },
              { digest: D("2"), artifactType: "application/vnd.in-toto+json" },
              { digest: D("3"), artifactType: TYPE },
            ]),
          }
        : { stdout: pulled(argv) },
    );
    const files = await readReferrerFiles(oras, SUBJECT, TYPE, "gamma-verdict.json");
    expect(files).toEqual([
      { source: `${NAME}@${D("1")}`, text: `text of /pulled/${"1".repeat(64)}/gamma-verdict.json` },
      { source: `${NAME}@${D("3")}`, text: `text of /pulled/${"3".repeat(64)}/gamma-verdict.json` },
    ]);
    expect(oras.ran.map((a) => `${a[1]} ${a.at(-1)}`)).toEqual([`discover ${SUBJECT}`, `pull ${NAME}@${D("1")}`, `pull ${NAME}@${D("3")}`]);
    expect(oras.ran[0]).toContain("/cfg/config.json");
  });

  it("none attached: an empty list, and no pull", async () => {
    const oras = executor(() => ({ stdout: listing([]) }));
    expect(await readReferrerFiles(oras, SUBJECT, TYPE, "gamma-verdict.json")).toEqual([]);
    expect(oras.ran).toHaveLength(1);
  });

  it("a registry without the referrers API, a failed pull, or a referrer without the file: throws, naming it", async () => {
    await expect(
      readReferrerFiles(
        executor(() => ({ exitCode: 1, stderr: "Error: failed to query referrers API: unsupported" })),
        SUBJECT,
        TYPE,
        "gamma-verdict.json",
      ),
    ).rejects.toThrow(`oras discover of ${SUBJECT} (artifact type ${TYPE}) exited 1: Error: failed to query referrers API: unsupported`);
    const listed = { stdout: listing([{ digest: D("1"), artifactType: TYPE }]) };
    await expect(
      readReferrerFiles(
        executor((a) => (a[1] === "discover" ? listed : { exitCode: 1, stderr: "" })),
        SUBJECT,
        TYPE,
        "gamma-verdict.json",
      ),
    ).rejects.toThrow(`oras pull ${NAME}@${D("1")} exited 1: no error output`);
    await expect(
      readReferrerFiles(
        executor((a) => (a[1] === "discover" ? listed : { stdout: pulled(a, "other.json") })),
        SUBJECT,
        TYPE,
        "gamma-verdict.json",
      ),
    ).rejects.toThrow(`oras pull ${NAME}@${D("1")}: the referrer carries /pulled/${"1".repeat(64)}/other.json, not gamma-verdict.json`);
  });
});
