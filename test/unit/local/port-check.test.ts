import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { assertPortFree, findFreePort, parsePort } from '../../../lib/local/port-check';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('assertPortFree', () => {
  it('refuses a taken loopback port with the one-line message', async () => {
    server = createServer();
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await expect(assertPortFree(port)).rejects.toThrow(
      `Port ${port} is already in use on 127.0.0.1; stop the other process or set PORT`,
    );
  });

  it('accepts a free port and port 0', async () => {
    await expect(assertPortFree(await findFreePort())).resolves.toBeUndefined();
    await expect(assertPortFree(0)).resolves.toBeUndefined();
  });
});

describe('parsePort', () => {
  it('uses the fallback when unset or empty', () => {
    expect(parsePort(undefined, 3000)).toBe(3000);
    expect(parsePort('', 3000)).toBe(3000);
  });

  it('accepts 0 to 65535', () => {
    expect(parsePort('0', 3000)).toBe(0);
    expect(parsePort('8080', 3000)).toBe(8080);
  });

  it.each(['-1', '65536', '80.5', 'http'])('refuses %s with a message naming PORT', (value) => {
    expect(() => parsePort(value, 3000)).toThrow(/^PORT must be an integer from 0 to 65535/);
  });
});
