import * as z from 'zod';
import type { Principal } from '../../contracts/principal';
import { ConflictError, ValidationError } from '../../platform/errors';
import { issuesFromZod } from '../../platform/validation-issues';
import { resolveOwner } from '../meetings/meeting-access';
import type { CrmConnection } from './crm-connection';
import { type CrmCredentials, type CrmProvider, type CrmProviderName, CrmRequestError } from './crm-provider';
import { CrmCredentialsRejectedError, CrmUnreachableError } from './errors';
import type { CrmDeps } from './ports';

const Secret = z.string().trim().min(1).max(500);

/** What each provider's connect request must carry (the HTTP body, snake_case as the API speaks). */
export const CONNECT_BODY_SCHEMAS = {
  wealthbox: z.object({ api_token: Secret }),
  redtail: z.object({ api_key: Secret, username: z.string().trim().min(1).max(200), password: Secret }),
  salesforce: z.object({
    client_id: Secret,
    client_secret: Secret,
    my_domain_url: z.url({ protocol: /^https$/ }).max(300),
  }),
} as const satisfies Record<CrmProviderName, z.ZodObject>;

/** The body field a provider's refusal is reported against. */
const REFUSED_FIELD: Readonly<Record<CrmProviderName, string>> = {
  wealthbox: 'body.api_token',
  redtail: 'body.password',
  salesforce: 'body.client_secret',
};

export interface ConnectCrmInput {
  actor: Principal;
  ip: string;
  provider: CrmProviderName;
  /** The request body: validated here against the provider's schema. */
  body: Record<string, unknown>;
  /** The advisor to connect for (assistants and admins); absent = the caller. */
  ownerId?: string;
  crmUserId?: string;
}

/**
 * Turns a CRM's refusal into the API's answer: credentials refused → 400 naming what the provider said; the CRM
 * down, rate limited or answering oddly → 424. Anything else is ours, and stays a 500.
 */
export function credentialsError(provider: CrmProviderName, error: unknown): unknown {
  if (!(error instanceof CrmRequestError)) return error;
  const answer = error.message.replace(new RegExp(`^${provider}: `), '');
  if (error.kind === 'auth' || error.kind === 'rejected') {
    return new CrmCredentialsRejectedError(provider, answer, REFUSED_FIELD[provider], error);
  }
  return new CrmUnreachableError(provider, answer, error);
}

/** Verifies credentials with one cheap call; throws `credentialsError`s. */
export async function verifyCrm(
  provider: CrmProviderName,
  crm: CrmProvider,
): Promise<{ accountLabel?: string }> {
  try {
    return await crm.verifyCredentials();
  } catch (error) {
    throw credentialsError(provider, error);
  }
}

async function credentialsFrom(
  provider: CrmProviderName,
  body: Record<string, unknown>,
  deps: Pick<CrmDeps, 'connector'>,
): Promise<CrmCredentials> {
  const parsed = CONNECT_BODY_SCHEMAS[provider].safeParse(body);
  if (!parsed.success) {
    throw new ValidationError(
      `The ${provider} connection is missing or has invalid fields.`,
      issuesFromZod(parsed.error, { prefix: 'body' }),
    );
  }
  const fields = parsed.data as Record<string, string>;
  switch (provider) {
    case 'wealthbox':
      return { provider, apiToken: fields.api_token as string };
    case 'redtail': {
      const apiKey = fields.api_key as string;
      // The password is exchanged for a user key here and then forgotten: only the key is stored.
      let userKey: string;
      try {
        userKey = await deps.connector.redtailUserKey({
          apiKey,
          username: fields.username as string,
          password: fields.password as string,
        });
      } catch (error) {
        throw credentialsError(provider, error);
      }
      return { provider, apiKey, userKey };
    }
    case 'salesforce': {
      let myDomainUrl: string;
      try {
        myDomainUrl = deps.connector.vetSalesforceDomain(fields.my_domain_url as string);
      } catch (error) {
        throw new ValidationError(
          'The Salesforce My Domain URL was refused.',
          [
            {
              path: 'body.my_domain_url',
              message: error instanceof Error ? error.message : 'is not a Salesforce My Domain URL',
            },
          ],
          error,
        );
      }
      return {
        provider,
        clientId: fields.client_id as string,
        clientSecret: fields.client_secret as string,
        myDomainUrl,
      };
    }
  }
}

/**
 * Connects an advisor to a CRM: validates the provider's fields, exchanges what must be exchanged (Redtail's
 * password for a user key), verifies the result with one cheap CRM call, and only then stores the connection,
 * credentials encrypted. One connection per provider per advisor (a second is 409; delete the first to
 * reconnect). Refused credentials are a 400 naming the provider's answer, and nothing is stored.
 */
export async function connectCrm(
  input: ConnectCrmInput,
  deps: Pick<CrmDeps, 'connections' | 'connector' | 'users' | 'clock' | 'ids'>,
): Promise<CrmConnection> {
  const advisorId = await resolveOwner(input.actor, input.ownerId, deps);
  const tenantId = input.actor.tenantId;
  const existing = await deps.connections.get(tenantId, advisorId, input.provider);
  if (existing) {
    throw new ConflictError(`This advisor is already connected to ${input.provider}; disconnect it first.`);
  }
  const credentials = await credentialsFrom(input.provider, input.body, deps);
  const verified = await verifyCrm(input.provider, deps.connector.provider(credentials));
  const now = new Date(deps.clock.now()).toISOString();
  const connection: CrmConnection = {
    connectionId: deps.ids.uuid(),
    tenantId,
    advisorId,
    provider: input.provider,
    status: 'active',
    credentials,
    ...(verified.accountLabel ? { accountLabel: verified.accountLabel.slice(0, 200) } : {}),
    ...(input.crmUserId ? { crmUserId: input.crmUserId } : {}),
    connectedBy: input.actor.userId,
    createdAt: now,
    updatedAt: now,
    lastTestedAt: now,
    lastTestOutcome: 'ok',
  };
  await deps.connections.create(connection, {
    action: 'crm.connected',
    outcome: 'success',
    actor: { userId: input.actor.userId, role: input.actor.role },
    target: { type: 'crm_connection', id: connection.connectionId },
    ip: input.ip,
    details: { provider: input.provider, advisor_id: advisorId },
  });
  return connection;
}
