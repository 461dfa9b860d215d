import https from "node:https";
import tls from "node:tls";

// ruleid: dpra.js.tls-verification-disabled
export const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });

export function connect(host: string) {
  // ruleid: dpra.js.tls-verification-disabled
  return tls.connect({ host, port: 443, rejectUnauthorized: false });
}

export function insecureEverywhere() {
  // ruleid: dpra.js.tls-verification-disabled
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
}

export function patch(options: { rejectUnauthorized?: boolean }) {
  // ruleid: dpra.js.tls-verification-disabled
  options.rejectUnauthorized = false;
}

// ok: dpra.js.tls-verification-disabled
export const strictAgent = new https.Agent({ keepAlive: true, rejectUnauthorized: true });

export function privateCa(host: string, ca: string) {
  // ok: dpra.js.tls-verification-disabled
  return tls.connect({ host, port: 443, ca });
}

export function readSetting() {
  // ok: dpra.js.tls-verification-disabled
  return process.env.NODE_TLS_REJECT_UNAUTHORIZED === "0";
}
