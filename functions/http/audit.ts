import type * as z from 'zod';
import type { AuditLogStore } from '../adapters/store/audit-log-store';
import { base } from '../composition/base';
import { edgeDeps } from '../composition/edge-runtime';
import type { AuditEvent } from '../core/audit/audit-event';
import { createHttpHandler, type RouteImplementations } from '../platform/http/http-handler';
import { type AuditEventViewSchema, auditRoutes } from './routes/audit-routes';

function toView(event: AuditEvent): z.input<typeof AuditEventViewSchema> {
  return {
    seq: event.seq,
    at: event.at,
    action: event.action,
    outcome: event.outcome,
    ...(event.actor ? { actor: { user_id: event.actor.userId, role: event.actor.role } } : {}),
    ...(event.target ? { target: event.target } : {}),
    ip: event.ip,
    details: event.details,
    prev_hash: event.prevHash,
    hash: event.hash,
  };
}

/** The firm's audit trail for admins and compliance. Exported for tests, which pass their own deps. */
export function auditImplementations(deps: {
  audit: Pick<AuditLogStore, 'page' | 'verify'>;
}): RouteImplementations<typeof auditRoutes> {
  return {
    listAuditEvents: async ({ principal, query }) => {
      // Verified (and pending counted) before the page is read: `pending: 0` then means the page already holds
      // every event recorded before this request, never that one was linked between the two reads.
      const chain = await deps.audit.verify(principal.tenantId, { full: query.verify === 'full' });
      const page = await deps.audit.page(principal.tenantId, {
        limit: query.limit,
        order: query.order,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return {
        body: {
          items: page.items.map(toView),
          ...(page.cursor ? { cursor: page.cursor } : {}),
          chain: {
            verified: chain.verified,
            checked: chain.checked,
            ...(chain.firstBrokenSeq !== undefined ? { first_broken_seq: chain.firstBrokenSeq } : {}),
            ...(chain.reason ? { reason: chain.reason } : {}),
            pending: chain.pending,
            checkpoint_seq: chain.checkpointSeq,
          },
        },
      };
    },
  };
}

export const handler = createHttpHandler('audit', auditRoutes, auditImplementations(base()), edgeDeps());
