// `go install <pkg>@<version>` straight into .tools/bin, with the ldflags that stamp the version.
import path from "node:path";
import type { ToolPin } from "../../src/tools/catalog.js";
import { clientAvailable, InstallError, runLogged, type ToolsLayout } from "./layout.js";

export async function installGo(pin: ToolPin, layout: ToolsLayout): Promise<{ bin: string }> {
  if (pin.install.kind !== "go") throw new InstallError(`${pin.name}: not a go install`);
  if (!(await clientAvailable("go", ["version"]))) throw new InstallError("Go is not installed (go version failed); install Go 1.26+ or put it on PATH");
  const { pkg, version, ldflags, env } = pin.install;
  const args = ["install", "-trimpath", ...(ldflags ? ["-ldflags", ldflags] : []), `${pkg}@${version}`];
  await runLogged(layout, pin.name, "go", args, { env: { ...process.env, ...env, GOBIN: layout.bin } });
  return { bin: path.join(layout.bin, path.basename(pkg.replace(/\/v\d+$/, ""))) };
}
