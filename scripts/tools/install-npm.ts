// An npm package that ships the tool's binary, at exactly the pinned version, in a prefix of its own
// under .tools/npm and linked from .tools/bin.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ToolPin } from "../../src/tools/catalog.js";
import { linkInto } from "./install-pip.js";
import { InstallError, runLogged, type ToolsLayout } from "./layout.js";

export async function installNpm(pin: ToolPin, layout: ToolsLayout): Promise<{ bin: string }> {
  if (pin.install.kind !== "npm") throw new InstallError(`${pin.name}: not an npm install`);
  const prefix = path.join(layout.root, "npm", pin.name);
  mkdirSync(prefix, { recursive: true });
  // A package.json of its own keeps npm from walking up into the repository's.
  writeFileSync(path.join(prefix, "package.json"), `${JSON.stringify({ private: true, name: `dpra-tool-${pin.name}` })}\n`);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  await runLogged(layout, pin.name, npm, ["install", "--no-audit", "--no-fund", "--save-exact", `${pin.install.pkg}@${pin.install.version}`], { cwd: prefix });
  const target = path.join(prefix, "node_modules", ".bin", pin.name);
  if (!existsSync(target)) throw new InstallError(`${pin.install.pkg}@${pin.install.version} installed no ${pin.name} binary`);
  return { bin: linkInto(layout, pin.name, target) };
}
