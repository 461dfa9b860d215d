// The canary's code package (`Code.ZipFile`), laid out the way each supported Synthetics runtime
// family loads it, per AWS's documentation:
// - syn-nodejs-puppeteer: the script under `nodejs/node_modules/`, e.g. `nodejs/node_modules/canary.js`
//   with the handler `canary.handler`
//   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_WritingCanary_Nodejs_Pup.html,
//   "Packaging your Node.js canary files"; a script elsewhere fails with "Cannot find module
//   '/opt/nodejs/node_modules/<file>'": https://repost.aws/knowledge-center/cloudwatch-fix-failing-canary);
// - syn-nodejs-playwright: no folder structure, "a .zip file with your handler file at the root",
//   e.g. `canary.js` with the handler `canary.handler` (a file in a folder would need the folder in
//   the handler name)
//   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Synthetics_WritingCanary_Nodejs_Playwright.html,
//   "Packaging your Node.js canary files for the Playwright runtime").
// Only the script is packaged, so ES module syntax needs the .mjs extension (the Playwright page:
// ES scripts "should either use .mjs as the extension or include a package.json file with the
// "type": "module" field set"). syn-python-selenium (`python/<file>.py`,
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_WritingCanary_Python.html)
// is not a runtime dpra.yaml offers.
import path from "node:path";
import type { RuntimeFamily } from "./runtime.js";
import { zipStore } from "./zip.js";

export interface CanaryCode {
  /** The ZIP archive to send as `Code.ZipFile`. */
  zipFile: Uint8Array;
  /** The `Code.Handler` value: `<file name without extension>.<function>`. */
  handler: string;
  /** Where the script sits inside the archive. */
  entryPath: string;
}

/** The folder of the archive the runtime family loads the handler file from ("" for the root). */
export const HANDLER_FOLDER: Readonly<Record<RuntimeFamily, string>> = {
  "syn-nodejs-puppeteer": "nodejs/node_modules/",
  "syn-nodejs-playwright": "",
};

const where = (family: RuntimeFamily) => (HANDLER_FOLDER[family] === "" ? "at the root of the archive" : `in ${HANDLER_FOLDER[family]}`);

/**
 * Packages a Node.js canary script the way its Synthetics runtime family loads it: the handler file
 * `<handler file>.js` (or `.mjs`) under `nodejs/node_modules/` for Puppeteer, at the archive's root
 * for Playwright, with the handler `<handler file>.<function>`.
 *
 * @param scriptPath the script's path in the source (only its extension is used)
 * @param script the script's contents
 * @param handler `file.function`, e.g. `canary.handler`
 * @param family the runtime family (`synthetics.runtime`)
 */
export function packageNodeCanary(scriptPath: string, script: string | Uint8Array, handler: string, family: RuntimeFamily): CanaryCode {
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z_$][\w$]*)$/.exec(handler);
  if (!match) {
    throw new Error(`synthetics.handler "${handler}" must be "<file>.<function>", e.g. "canary.handler": for ${family} the file is placed ${where(family)}`);
  }
  const ext = path.extname(scriptPath);
  if (ext !== ".js" && ext !== ".mjs") {
    throw new Error(`synthetics.script "${scriptPath}" must be a .js or .mjs file for the Node.js Synthetics runtimes`);
  }
  const size = typeof script === "string" ? Buffer.byteLength(script) : script.byteLength;
  if (size === 0) throw new Error(`synthetics.script "${scriptPath}" is empty`);
  const entryPath = `${HANDLER_FOLDER[family]}${match[1]}${ext}`;
  return { zipFile: zipStore([{ path: entryPath, data: script }]), handler, entryPath };
}
