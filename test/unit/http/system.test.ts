import { describe, expect, it } from 'vitest';
import type { EdgeState } from '../../../functions/platform/http/middleware/request-context';
import { Logger } from '../../../functions/platform/logging/logger';
import { applyTestEnv } from '../../support/test-env';

applyTestEnv();
const { systemImplementations } = await import('../../../functions/http/system');

const edge = (): EdgeState => ({
  requestId: 'r',
  correlationId: 'r',
  startedAt: 0,
  log: new Logger({ service: 't', level: 'error', sink: () => undefined }),
});
const request = {
  params: {},
  query: {},
  body: undefined,
  headers: {},
  rawBody: '',
  sourceIp: '203.0.113.7',
  edge: edge(),
  principal: undefined,
};

describe('system routes', () => {
  it('answers liveness without touching the store', async () => {
    let pings = 0;
    const impl = systemImplementations({
      store: {
        ping: async () => {
          pings += 1;
        },
      },
      version: '1.2.3',
    });
    const res = await impl.getHealth(request);
    expect(res.body).toEqual({ status: 'ok', service: 'smart-advisor-os', version: '1.2.3' });
    expect(pings).toBe(0);
  });

  it('reports readiness ok when the store answers, degraded when it does not', async () => {
    const up = systemImplementations({ store: { ping: async () => undefined }, version: '1' });
    expect((await up.getReadiness(request)).body).toMatchObject({ status: 'ok', checks: { store: 'ok' } });
    const down = systemImplementations({
      store: {
        ping: async () => {
          throw new Error('ECONNREFUSED');
        },
      },
      version: '1',
    });
    expect((await down.getReadiness(request)).body).toMatchObject({
      status: 'degraded',
      checks: { store: 'unreachable' },
    });
  });

  it('serves an OpenAPI document that lists every route of the topology', async () => {
    const impl = systemImplementations({ store: { ping: async () => undefined }, version: '1' });
    const doc = (await impl.getOpenApi(request)).body as unknown as { paths: Record<string, unknown> };
    const { allRoutes } = await import('../../../functions/topology');
    expect(Object.keys(doc.paths).sort()).toEqual([...new Set(allRoutes().map((r) => r.path))].sort());
  });
});
