import type { DynamoStore } from '../adapters/store/dynamo-store';
import { base } from '../composition/base';
import { createHttpHandler, type RouteImplementations } from '../platform/http/http-handler';
import { buildOpenApiDocument } from '../platform/http/openapi';
import { allRoutes } from '../topology';
import { systemRoutes } from './routes/system-routes';

export interface SystemDeps {
  store: Pick<DynamoStore, 'ping'>;
  version: string;
}

/** Liveness, readiness and the OpenAPI document. Exported for tests, which pass their own deps. */
export function systemImplementations(deps: SystemDeps): RouteImplementations<typeof systemRoutes> {
  let openApi: Record<string, unknown> | undefined;
  return {
    getHealth: async () => ({
      body: { status: 'ok', service: 'smart-advisor-os', version: deps.version },
    }),
    getReadiness: async ({ edge }) => {
      let store: 'ok' | 'unreachable' = 'ok';
      try {
        await deps.store.ping();
      } catch (error) {
        edge.log.warn('health: store unreachable', { error });
        store = 'unreachable';
      }
      return {
        body: {
          status: store === 'ok' ? 'ok' : 'degraded',
          service: 'smart-advisor-os',
          version: deps.version,
          checks: { store },
        },
      };
    },
    getOpenApi: async () => {
      openApi ??= buildOpenApiDocument(allRoutes(), { version: deps.version });
      return { body: openApi as { openapi: string; info: { title: string; version: string } } };
    },
  };
}

const { store, config } = base();

export const handler = createHttpHandler(
  'system',
  systemRoutes,
  systemImplementations({ store, version: config.serviceVersion }),
);
