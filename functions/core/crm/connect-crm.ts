import type { Principal } from '../../contracts/principal';
import { ConflictError, ValidationError } from '../../platform/errors';
import { issuesFromZod } from '../../platform/validation-issues';
import { resolveOwner } from '../meetings/meeting-access';
import type { CrmConnection } from './crm-connection';
import { type CrmCredentials, type CrmProvider, type CrmProviderName, CrmRequestError } from './crm-provider';
import { CrmCredentialsRejectedError, CrmUnreachableError } from './errors';
import type { CrmDeps } from './ports';

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
export function credentialsError(
  provider: CrmProviderName,
  error: unknown,
  deps: Pick<CrmDeps, 'connector'>,
): unknown {
  if (!(error instanceof CrmRequestError)) return error;
  const answer = error.message.replace(new RegExp(`^${provider}: `), '');
  if (error.kind === 'auth' || error.kind === 'rejected') {
    const field = deps.connector.connection(provider).refusedField;
    return new CrmCredentialsRejectedError(provider, answer, field, error);
  }
  return new CrmUnreachableError(provider, answer, error);
}

/** Verifies credentials with one cheap call; throws `credentialsError`s. */
export async function verifyCrm(
  provider: CrmProviderName,
  crm: CrmProvider,
  deps: Pick<CrmDeps, 'connector'>,
): Promise<{ accountLabel?: string }> {
  try {
    return await crm.verifyCredentials();
  } catch (error) {
    throw credentialsError(provider, error, deps);
  }
}

async function credentialsFrom(
  provider: CrmProviderName,
  body: Record<string, unknown>,
  deps: Pick<CrmDeps, 'connector'>,
): Promise<CrmCredentials> {
  const form = deps.connector.connection(provider);
  const parsed = form.body.safeParse(body);
  if (!parsed.success) {
    throw new ValidationError(
      `The ${provider} connection is missing or has invalid fields.`,
      issuesFromZod(parsed.error, { prefix: 'body' }),
    );
  }
  try {
    return await form.credentials(parsed.data);
  } catch (error) {
    throw credentialsError(provider, error, deps);
  }
}

/**
 * Connects an advisor to a CRM: validates the provider's fields, exchanges what must be exchanged (the
 * integration decides, e.g. a password traded for a stored key), verifies the result with one cheap CRM call,
 * and only then stores the connection, credentials encrypted. One connection per provider per advisor (a second is 409; delete the first to
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
  const verified = await verifyCrm(input.provider, deps.connector.provider(credentials), deps);
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
