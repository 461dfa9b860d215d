// `pip install <pkg>==<version>` into a venv of its own under .tools/venv, linked from .tools/bin,
// so the machine's own Python packages (e.g. a preinstalled cfn-lint) are neither used nor changed.
import { existsSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import type { ToolPin } from "../../src/tools/catalog.js";
import { clientAvailable, InstallError, runLogged, type ToolsLayout } from "./layout.js";

export async function installPip(pin: ToolPin, layout: ToolsLayout): Promise<{ bin: string }> {
  if (pin.install.kind !== "pip") throw new InstallError(`${pin.name}: not a pip install`);
  const python = process.env.PYTHON ?? "python3";
  if (!(await clientAvailable(python, ["-c", "import venv, ensurepip"]))) {
    throw new InstallError(`Python 3 with venv and pip is not available (${python}); install python3 and python3-venv`);
  }
  const venv = path.join(layout.root, "venv", pin.name);
  rmSync(venv, { recursive: true, force: true });
  await runLogged(layout, pin.name, python, ["-m", "venv", venv]);
  await runLogged(layout, pin.name, path.join(venv, "bin", "pip"), ["install", "--disable-pip-version-check", "--no-input", "-q", `${pin.install.pkg}==${pin.install.version}`]);
  const target = path.join(venv, "bin", pin.name);
  if (!existsSync(target)) throw new InstallError(`${pin.install.pkg} installed no ${pin.name} command in ${venv}/bin`);
  return { bin: linkInto(layout, pin.name, target) };
}

/** `.tools/bin/<name>` as a relative link to the real executable. */
export function linkInto(layout: ToolsLayout, name: string, target: string): string {
  const link = path.join(layout.bin, name);
  rmSync(link, { force: true });
  symlinkSync(path.relative(layout.bin, target), link);
  return link;
}
