// A free TCP port on loopback, for the servers the tests start (PostgreSQL, the OCI registry).
import net from "node:net";

/** Asks the kernel for a free port on 127.0.0.1 and releases it for the caller's server. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}
