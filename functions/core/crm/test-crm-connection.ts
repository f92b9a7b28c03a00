import type { Principal } from '../../contracts/principal';
import { NotFoundError } from '../../platform/errors';
import { resolveOwner } from '../meetings/meeting-access';
import { credentialsError } from './connect-crm';
import type { CrmConnection } from './crm-connection';
import type { CrmProviderName } from './crm-provider';
import { CrmCredentialsRejectedError } from './errors';
import type { CrmDeps } from './ports';

export interface CrmConnectionTest {
  connection: CrmConnection;
  ok: boolean;
  /** What the provider answered when it refused (status and vendor code, never credentials). */
  answer?: string;
}

/**
 * Checks a stored connection with one cheap CRM call and records when and how it went. Refused credentials are a
 * result (`ok: false` with the provider's answer: the connection needs reconnecting), not an error; the CRM being
 * unreachable is an error (424), since it says nothing about the credentials.
 */
export async function testCrmConnection(
  input: { actor: Principal; ip: string; provider: CrmProviderName; ownerId?: string },
  deps: Pick<CrmDeps, 'connections' | 'connector' | 'users' | 'clock'>,
): Promise<CrmConnectionTest> {
  const advisorId = await resolveOwner(input.actor, input.ownerId, deps);
  const tenantId = input.actor.tenantId;
  const connection = await deps.connections.get(tenantId, advisorId, input.provider);
  if (!connection) throw new NotFoundError(`No ${input.provider} connection for this advisor.`);
  let answer: string | undefined;
  try {
    await deps.connector.provider(connection.credentials).verifyCredentials();
  } catch (error) {
    const mapped = credentialsError(input.provider, error, deps);
    if (!(mapped instanceof CrmCredentialsRejectedError)) throw mapped;
    answer = (error as Error).message;
  }
  const now = new Date(deps.clock.now()).toISOString();
  const tested: CrmConnection = {
    ...connection,
    lastTestedAt: now,
    lastTestOutcome: answer === undefined ? 'ok' : 'failed',
    updatedAt: now,
  };
  await deps.connections.replace(tested, {
    action: 'crm.connection_tested',
    outcome: answer === undefined ? 'success' : 'failure',
    actor: { userId: input.actor.userId, role: input.actor.role },
    target: { type: 'crm_connection', id: connection.connectionId },
    ip: input.ip,
    details: { provider: input.provider },
  });
  return { connection: tested, ok: answer === undefined, ...(answer ? { answer } : {}) };
}
