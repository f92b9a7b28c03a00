import { crmRuntime } from '../composition/crm-runtime';
import { edgeDeps } from '../composition/edge-runtime';
import { advisorCrmConnections } from '../core/crm/advisor-crm-connections';
import { connectCrm } from '../core/crm/connect-crm';
import { disconnectCrm } from '../core/crm/disconnect-crm';
import type { CrmDeps } from '../core/crm/ports';
import { resyncMeetingCrm } from '../core/crm/resync-meeting-crm';
import { testCrmConnection } from '../core/crm/test-crm-connection';
import { createHttpHandler, type RouteImplementations } from '../platform/http/http-handler';
import { crmRoutes } from './routes/crm-routes';
import { crmConnectionView, crmSyncView } from './views/crm-views';

/** CRM connections and a meeting's CRM re-sync. Exported for tests, which pass their own deps. */
export function crmImplementations(deps: CrmDeps): RouteImplementations<typeof crmRoutes> {
  return {
    connectCrm: async ({ principal, params, body, sourceIp }) => {
      const { owner_id: ownerId, crm_user_id: crmUserId, ...fields } = body;
      const connection = await connectCrm(
        {
          actor: principal,
          ip: sourceIp,
          provider: params.provider,
          body: fields,
          ...(ownerId ? { ownerId } : {}),
          ...(crmUserId ? { crmUserId } : {}),
        },
        deps,
      );
      return { body: crmConnectionView(connection) };
    },
    listCrmConnections: async ({ principal, query }) => {
      const connections = await advisorCrmConnections(
        { actor: principal, ...(query.owner_id ? { ownerId: query.owner_id } : {}) },
        deps,
      );
      return { body: { items: connections.map(crmConnectionView) } };
    },
    disconnectCrm: async ({ principal, params, query, sourceIp }) => {
      await disconnectCrm(
        {
          actor: principal,
          ip: sourceIp,
          provider: params.provider,
          ...(query.owner_id ? { ownerId: query.owner_id } : {}),
        },
        deps,
      );
      return { body: null };
    },
    testCrmConnection: async ({ principal, params, query, sourceIp }) => {
      const result = await testCrmConnection(
        {
          actor: principal,
          ip: sourceIp,
          provider: params.provider,
          ...(query.owner_id ? { ownerId: query.owner_id } : {}),
        },
        deps,
      );
      return {
        body: {
          ok: result.ok,
          ...(result.answer ? { answer: result.answer } : {}),
          connection: crmConnectionView(result.connection),
        },
      };
    },
    resyncMeetingCrm: async ({ principal, params, sourceIp }) => {
      const results = await resyncMeetingCrm(
        { actor: principal, ip: sourceIp, meetingId: params.meetingId },
        deps,
      );
      return { body: { items: results.map(crmSyncView) } };
    },
  };
}

export const handler = createHttpHandler('crm', crmRoutes, crmImplementations(crmRuntime()), edgeDeps());
