// What the node suites share to run a real tempmedia server: a free port and a wait for its health.
import { createServer } from 'node:net';

/** A port nothing listens on now (the jar binds it a moment later). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once `url` answers 2xx; rejects at `deadline` (epoch milliseconds). */
export async function waitForHealth(url, deadline) {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tempmedia did not answer ${url} in time`);
}
