import { createServer } from 'node:net';

/** Every local server of the embedded platform binds here (docs/architecture.md §11). */
export const LOOPBACK = '127.0.0.1';

/**
 * A free TCP port on the loopback interface: bind port 0, read the port the kernel chose, release
 * it. Another process may grab it in between; callers that spawn a server retry on EADDRINUSE.
 */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, LOOPBACK, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not allocate a port'))));
    });
  });

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Logs of the local platform: one line per event, to stderr unless the caller says otherwise. */
export type LocalLog = (line: string) => void;
export const silentLog: LocalLog = () => {};
