import * as z from 'zod';
import { PlatformSchema } from '../../contracts/platform';
import {
  GoogleServiceAccountSchema,
  MeetCredentialsSchema,
  TeamsCredentialsSchema,
  ZoomCredentialsSchema,
} from '../../core/platforms/integration-credentials';
import { defineRoute } from '../../platform/http/route';
import { IdSchema } from './identity-schemas';

const PlatformParams = z.object({ platform: PlatformSchema });

const AdvisorMappingWireSchema = z.object({
  platform_user: z
    .string()
    .trim()
    .min(1)
    .max(320)
    .meta({ description: 'Host or organiser on the platform: an email or the platform user id' }),
  advisor_user_id: IdSchema,
});
const advisorMappings = z
  .array(AdvisorMappingWireSchema)
  .min(1, 'must map at least one platform user to an advisor')
  .max(1000)
  .refine(
    (mappings) => new Set(mappings.map((m) => m.platform_user.toLowerCase())).size === mappings.length,
    { message: 'maps the same platform user twice' },
  );

/** `platform` in the body may be left out: the path names it; when given, the handler checks they agree. */
const pathPlatform = <const P extends 'zoom' | 'teams' | 'meet'>(platform: P) =>
  z.literal(platform).default(platform).meta({
    description: 'Optional: the path names the platform; when given, it must be the same',
  });

/** The firm's Zoom app: account id, the app's secret token, and which Zoom host is which advisor. */
const ZoomIntegrationRequest = z
  .object({
    platform: pathPlatform('zoom'),
    account_id: ZoomCredentialsSchema.shape.accountId,
    webhook_secret_token: ZoomCredentialsSchema.shape.webhookSecretToken,
    advisor_mappings: advisorMappings,
  })
  .meta({ id: 'ZoomIntegrationRequest' });

const TeamsIntegrationRequest = z
  .object({
    platform: pathPlatform('teams'),
    azure_tenant_id: TeamsCredentialsSchema.shape.azureTenantId,
    client_id: TeamsCredentialsSchema.shape.clientId,
    client_secret: TeamsCredentialsSchema.shape.clientSecret,
    client_state: TeamsCredentialsSchema.shape.clientState,
    advisor_mappings: advisorMappings,
  })
  .meta({ id: 'TeamsIntegrationRequest' });

const MeetIntegrationRequest = z
  .object({
    platform: pathPlatform('meet'),
    // The key file as Google issues it may be pasted whole: only these fields are kept.
    service_account: z.looseObject({
      client_email: GoogleServiceAccountSchema.shape.clientEmail,
      private_key: GoogleServiceAccountSchema.shape.privateKey,
      private_key_id: GoogleServiceAccountSchema.shape.privateKeyId,
      token_uri: GoogleServiceAccountSchema.shape.tokenUri,
    }),
    delegated_user: MeetCredentialsSchema.shape.delegatedUser,
    path_token: MeetCredentialsSchema.shape.pathToken,
    advisor_mappings: advisorMappings,
  })
  .meta({ id: 'MeetIntegrationRequest' });

export const IntegrationRequestSchema = z
  .discriminatedUnion('platform', [ZoomIntegrationRequest, TeamsIntegrationRequest, MeetIntegrationRequest])
  .meta({ id: 'IntegrationRequest' });
export type IntegrationRequest = z.infer<typeof IntegrationRequestSchema>;

/** An integration as the API shows it: settings and which secrets are stored, never a secret's value. */
export const IntegrationViewSchema = z
  .object({
    platform: PlatformSchema,
    integration_id: z.string(),
    /** Where the platform must send its webhooks (path; prefix it with the API's public origin). */
    webhook_path: z.string(),
    settings: z.record(z.string(), z.string()),
    advisor_mappings: z.array(AdvisorMappingWireSchema),
    /** Names of the stored secrets; their values are never returned. */
    secrets_stored: z.array(z.string()),
    created_at: z.string(),
    updated_at: z.string(),
    updated_by: z.string(),
  })
  .meta({ id: 'Integration' });

export const integrationsRoutes = [
  defineRoute({
    id: 'putIntegration',
    method: 'PUT',
    path: '/api/v1/integrations/{platform}',
    summary: "Connect (or replace) the firm's Zoom, Teams or Meet integration; secrets are stored encrypted",
    tags: ['integrations'],
    auth: 'user',
    roles: ['admin'],
    rateLimit: 'standard',
    request: { params: PlatformParams, body: IntegrationRequestSchema, bodyFromParams: ['platform'] },
    status: 200,
    response: IntegrationViewSchema,
  }),
  defineRoute({
    id: 'getIntegration',
    method: 'GET',
    path: '/api/v1/integrations/{platform}',
    summary: "The firm's integration with a platform, without its secrets",
    tags: ['integrations'],
    auth: 'user',
    roles: ['admin'],
    rateLimit: 'standard',
    request: { params: PlatformParams },
    status: 200,
    response: IntegrationViewSchema,
  }),
  defineRoute({
    id: 'deleteIntegration',
    method: 'DELETE',
    path: '/api/v1/integrations/{platform}',
    summary: 'Disconnect a platform: its webhooks stop finding the firm at once',
    tags: ['integrations'],
    auth: 'user',
    roles: ['admin'],
    rateLimit: 'standard',
    request: { params: PlatformParams },
    status: 204,
    response: z.null().meta({ description: 'No content' }),
  }),
] as const;
