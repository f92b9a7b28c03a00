import { edgeDeps } from '../composition/edge-runtime';
import { platformRuntime } from '../composition/platform-runtime';
import type { IntegrationDeps } from '../core/platforms/integration-deps';
import { getIntegration, removeIntegration } from '../core/platforms/remove-integration';
import { saveIntegration } from '../core/platforms/save-integration';
import { ValidationError } from '../platform/errors';
import { createHttpHandler, type RouteImplementations } from '../platform/http/http-handler';
import { integrationsRoutes } from './routes/integrations-routes';
import { credentialsFromRequest, integrationView } from './views/integration-view';

/** Admins connect the firm's meeting platforms. Exported for tests, which pass their own deps. */
export function integrationsImplementations(
  deps: IntegrationDeps,
): RouteImplementations<typeof integrationsRoutes> {
  return {
    putIntegration: async ({ principal, params, body, sourceIp }) => {
      if (body.platform !== params.platform) {
        throw new ValidationError('The body is for another platform than the path.', [
          { path: 'body.platform', message: `must be ${params.platform}, as in the path` },
        ]);
      }
      const integration = await saveIntegration(
        {
          actor: principal,
          ip: sourceIp,
          credentials: credentialsFromRequest(body),
          mappingPath: (index) => `body.advisor_mappings.${index}.advisor_user_id`,
        },
        deps,
      );
      return { body: integrationView(integration) };
    },
    getIntegration: async ({ principal, params }) => ({
      body: integrationView(await getIntegration(principal, params.platform, deps)),
    }),
    deleteIntegration: async ({ principal, params, sourceIp }) => {
      await removeIntegration({ actor: principal, ip: sourceIp, platform: params.platform }, deps);
      return { body: null };
    },
  };
}

export const handler = createHttpHandler(
  'integrations',
  integrationsRoutes,
  integrationsImplementations(platformRuntime().integrationDeps),
  edgeDeps(),
);
