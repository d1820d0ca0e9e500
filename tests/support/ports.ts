/** Ports for the tests that must tell a server which one to take (a child process, nginx). */
import { type AddressInfo, createServer } from "node:net";

/**
 * A port free on 127.0.0.1 a moment ago (its probe closed again), for a server told to use it;
 * another process may take it meanwhile, so where a test can let the server pick (port 0), it does.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
