import path from "node:path";
import { zipStore } from "./zip.js";

export interface CanaryCode {
  /** The ZIP archive to send as `Code.ZipFile`. */
  zipFile: Uint8Array;
  /** The `Code.Handler` value: `<file name without extension>.<function>`. */
  handler: string;
  /** Where the script sits inside the archive. */
  entryPath: string;
}

/**
 * Packages a Node.js canary script the way the Synthetics Node runtimes load it:
 * `nodejs/node_modules/<handler file>.js` (or `.mjs`), with the handler `<handler file>.<function>`.
 *
 * @param scriptPath the script's path in the source (only its extension is used)
 * @param script the script's contents
 * @param handler `file.function`, e.g. `canary.handler`
 */
export function packageNodeCanary(scriptPath: string, script: string | Uint8Array, handler: string): CanaryCode {
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z_$][\w$]*)$/.exec(handler);
  if (!match) {
    throw new Error(
      `synthetics.handler "${handler}" must be "<file>.<function>", e.g. "canary.handler": the file is placed in nodejs/node_modules/`,
    );
  }
  const ext = path.extname(scriptPath);
  if (ext !== ".js" && ext !== ".mjs") {
    throw new Error(`synthetics.script "${scriptPath}" must be a .js or .mjs file for the Node.js Synthetics runtimes`);
  }
  const size = typeof script === "string" ? Buffer.byteLength(script) : script.byteLength;
  if (size === 0) throw new Error(`synthetics.script "${scriptPath}" is empty`);
  const entryPath = `nodejs/node_modules/${match[1]}${ext}`;
  return { zipFile: zipStore([{ path: entryPath, data: script }]), handler, entryPath };
}
