// The one helper that picks a free TCP port on loopback for a service a test starts
// (test/support/postgres.ts, test/support/moto.ts, test/support/registry.ts).
import net from "node:net";

/** A port that was free on 127.0.0.1 a moment ago (the caller binds it next). */
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
