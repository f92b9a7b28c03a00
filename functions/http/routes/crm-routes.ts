import * as z from 'zod';
import { CRM_NAMES, CRM_REGISTRY, CrmNameSchema } from '../../integrations/crm-registry';
import { defineRoute } from '../../platform/http/route';
import { IdSchema } from './identity-schemas';

const ProviderParams = z.object({ provider: CrmNameSchema });
const OwnerQuery = z.object({
  owner_id: IdSchema.optional().meta({
    description: 'The advisor whose connection this is (assistants and admins)',
  }),
});

/** A connection as the API shows it: never its credentials. */
export const CrmConnectionViewSchema = z
  .object({
    id: z.string(),
    provider: CrmNameSchema,
    advisor_id: z.string(),
    status: z.enum(['active', 'disabled']),
    account_label: z.string().optional(),
    crm_user_id: z.string().optional(),
    connected_by: z.string(),
    created_at: z.string(),
    last_tested_at: z.string().optional(),
    last_test_outcome: z.enum(['ok', 'failed']).optional(),
  })
  .meta({ id: 'CrmConnection' });

/** One connection's sync of a meeting: synced (remote ids), skipped (why, candidates) or failed (why, attempts). */
export const CrmSyncViewSchema = z
  .object({
    connection_id: z.string(),
    provider: z.string(),
    status: z.enum(['synced', 'skipped', 'failed']),
    reason: z.string().optional(),
    error_kind: z.string().optional(),
    attempts: z.number().int().optional(),
    contact: z
      .object({
        status: z.enum(['matched', 'not_matched']),
        id: z.string().optional(),
        name: z.string().optional(),
        matched_by: z.enum(['exact', 'normalised', 'email']).optional(),
        reason: z.enum(['ambiguous', 'not_found']).optional(),
        candidates: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
      })
      .optional(),
    remote_ids: z.object({ note: z.string().optional(), tasks: z.array(z.string()) }).optional(),
    not_created: z.array(z.object({ external_id: z.string(), reason: z.string() })).optional(),
    updated_at: z.string().optional(),
  })
  .meta({ id: 'CrmSync' });

const Secret = z.string().max(500);

/** Every CRM's connect fields, documented by its integration; each CRM validates its own on connect. */
const connectFields = Object.fromEntries(
  Object.values(CRM_REGISTRY).flatMap((integration) =>
    Object.entries(integration.connectFields).map(([field, description]) => [
      field,
      Secret.optional().meta({ description }),
    ]),
  ),
);

/** Actions that take no input still carry a JSON body (`{}`), as every POST of this API does. */
const EmptyBody = z.object({}).meta({ id: 'EmptyRequest', description: 'An empty JSON object: {}' });

export const crmRoutes = [
  defineRoute({
    id: 'connectCrm',
    method: 'POST',
    path: '/api/v1/crm/connections/{provider}',
    summary: 'Connect an advisor to a CRM: credentials verified with one call, then stored encrypted',
    tags: ['crm'],
    auth: 'user',
    roles: ['admin', 'advisor', 'assistant'],
    rateLimit: 'standard',
    request: {
      params: ProviderParams,
      body: z
        .object({
          ...connectFields,
          owner_id: IdSchema.optional().meta({
            description: 'The advisor to connect for (assistants and admins)',
          }),
          crm_user_id: z
            .string()
            .trim()
            .min(1)
            .max(100)
            .optional()
            .meta({ description: "The advisor's user id in the CRM: their action items are assigned to it" }),
        })
        .meta({ id: 'CrmConnectRequest', description: `Fields per provider (${CRM_NAMES.join(', ')})` }),
    },
    status: 201,
    response: CrmConnectionViewSchema,
  }),
  defineRoute({
    id: 'listCrmConnections',
    method: 'GET',
    path: '/api/v1/crm/connections',
    summary: "An advisor's CRM connections (the caller's own by default); never their credentials",
    tags: ['crm'],
    auth: 'user',
    rateLimit: 'standard',
    request: { query: OwnerQuery },
    status: 200,
    response: z.object({ items: z.array(CrmConnectionViewSchema) }).meta({ id: 'CrmConnectionList' }),
  }),
  defineRoute({
    id: 'disconnectCrm',
    method: 'DELETE',
    path: '/api/v1/crm/connections/{provider}',
    summary: 'Remove a CRM connection and its stored credentials',
    tags: ['crm'],
    auth: 'user',
    roles: ['admin', 'advisor', 'assistant'],
    rateLimit: 'standard',
    request: { params: ProviderParams, query: OwnerQuery },
    status: 204,
    response: z.null().meta({ description: 'No content' }),
  }),
  defineRoute({
    id: 'testCrmConnection',
    method: 'POST',
    path: '/api/v1/crm/connections/{provider}/test',
    summary: 'Check a stored connection with one cheap CRM call',
    tags: ['crm'],
    auth: 'user',
    roles: ['admin', 'advisor', 'assistant'],
    rateLimit: 'standard',
    request: { params: ProviderParams, query: OwnerQuery, body: EmptyBody },
    status: 200,
    response: z
      .object({
        ok: z.boolean(),
        answer: z.string().optional().meta({ description: "The CRM's refusal, when it refused" }),
        connection: CrmConnectionViewSchema,
      })
      .meta({ id: 'CrmConnectionTest' }),
  }),
  defineRoute({
    id: 'resyncMeetingCrm',
    method: 'POST',
    path: '/api/v1/meetings/{meetingId}/crm-sync',
    summary: "Sync a completed meeting to its owner's CRMs again; creates only what is missing",
    tags: ['meetings', 'crm'],
    auth: 'user',
    roles: ['admin', 'advisor', 'assistant'],
    rateLimit: 'standard',
    request: { params: z.object({ meetingId: IdSchema }), body: EmptyBody },
    status: 200,
    response: z.object({ items: z.array(CrmSyncViewSchema) }).meta({ id: 'CrmSyncResults' }),
  }),
] as const;
