import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalHostError } from './errors';
import type { ScheduleRun } from './schedule-runner';

/** Where the CLI reaches a running host, recorded in its `local-host.json` (mode 0600). */
export interface ControlEndpoint {
  url: string;
  token: string;
}

export interface ControlServer extends ControlEndpoint {
  close(): Promise<void>;
}

/**
 * The running host's door for `smartad run-schedule`: `POST /schedules/{name}/run` on loopback, answered with
 * the run's outcome once the function has returned. Only a caller that read the token from the host's state
 * file (readable by its user alone) gets in, so another local user cannot trigger jobs.
 */
export async function startControlServer(
  host: string,
  runSchedule: (name: string) => Promise<ScheduleRun>,
): Promise<ControlServer> {
  const token = randomBytes(32).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  const answer = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server = createServer((req, res) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return answer(res, 401, { error: 'not authorised' });
    const route = /^\/schedules\/([a-z0-9-]+)\/run$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !route?.[1]) return answer(res, 404, { error: 'not found' });
    runSchedule(route[1]).then(
      (run) => answer(res, 200, run),
      (error: unknown) =>
        error instanceof LocalHostError
          ? answer(res, 404, { error: error.message })
          : answer(res, 500, { error: error instanceof Error ? error.message : String(error) }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
