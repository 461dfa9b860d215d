const cp = require("child_process");
const { exec, execSync, execFile } = require("node:child_process");

function archive(req, res) {
  // ruleid: dpra.js.shell-command-from-values
  cp.exec(`tar czf /tmp/out.tgz ${req.query.dir}`, () => res.end());
}

function ping(host) {
  // ruleid: dpra.js.shell-command-from-values
  return execSync("ping -c 1 " + host);
}

function run(cmd) {
  // ruleid: dpra.js.shell-command-from-values
  exec(cmd, () => {});
}

function list() {
  // ok: dpra.js.shell-command-from-values
  return execSync("ls -l /tmp");
}

function listTemplate() {
  // ok: dpra.js.shell-command-from-values
  return execSync(`git rev-parse HEAD`);
}

function pingSafe(host) {
  // ok: dpra.js.shell-command-from-values
  return execFile("ping", ["-c", "1", host]);
}

const LIST_CMD = "ls -l";
function listConst() {
  // ok: dpra.js.shell-command-from-values
  return cp.execSync(LIST_CMD);
}

module.exports = { archive, ping, run, list, listTemplate, pingSafe, listConst };
