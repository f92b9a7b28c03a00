import { createServer } from 'node:net';
import { LocalHostError } from './errors';

/** Loopback only: the local host is a developer tool and never listens on a public interface. */
export const LOCAL_BIND_HOST = '127.0.0.1';

function listenOnce(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/** The one line printed when the HTTP port is taken or forbidden. */
export function portInUseMessage(port: number, host: string): string {
  return `Port ${port} is already in use on ${host}; stop the other process or set PORT`;
}

/**
 * Fails with one clear line when `port` cannot be bound, before any engine is started. Port 0 always passes:
 * the gateway will take whatever port the OS assigns.
 */
export async function assertPortFree(port: number, host: string = LOCAL_BIND_HOST): Promise<void> {
  if (port === 0) return;
  try {
    await listenOnce(port, host);
  } catch (error) {
    throw bindError(error, port, host);
  }
}

/** Maps a listen error to the message the user should see. */
export function bindError(error: unknown, port: number, host: string): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return new LocalHostError(portInUseMessage(port, host), { cause: error });
  if (code === 'EACCES') {
    return new LocalHostError(`Port ${port} on ${host} needs privileges; set PORT to 1024 or above`, {
      cause: error,
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * An ephemeral port that was free a moment ago (listen on 0, read, close), so several hosts can run side by
 * side. For engines that cannot be told to listen on port 0 themselves.
 */
export function findFreePort(host: string = LOCAL_BIND_HOST): Promise<number> {
  return listenOnce(0, host);
}

/** Parses `PORT` / `--port`: an integer 0–65535, where 0 means "any free port". */
export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new LocalHostError(`PORT must be an integer from 0 to 65535, got '${value}'`);
  }
  return port;
}
