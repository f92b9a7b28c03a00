import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { FakeGoogle } from '../test/fakes/google-server';
import type { FakeGraph, FakeGraphApp } from '../test/fakes/graph-server';
import { apiJson, type Delivery } from './webhook-delivery';

const VTT = Buffer.from('WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n<v Advisor>Thanks for coming in.\n');

/** A Teams app the fake Graph knows, and the organizer whose meetings the bench delivers. */
export function teamsFixture() {
  const app: FakeGraphApp = {
    tenantId: randomUUID(),
    clientId: randomUUID(),
    clientSecret: `secret-${randomUUID()}`,
  };
  return { app, clientState: randomBytes(32).toString('hex'), organizer: randomUUID() };
}

/** A Google service account the fake Google knows (by its public key), and the firm's push path token. */
export function meetFixture() {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    clientEmail: `bench-${randomUUID().slice(0, 8)}@bench.iam.gserviceaccount.com`,
    publicKeyPem: keys.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    privateKeyPem: keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    pathToken: randomBytes(24).toString('hex'),
    delegatedUser: `adviser-${randomUUID().slice(0, 8)}@firm.example`,
  };
}

type Firm = { token: string; userId: string };

export async function connectTeams(base: string, firm: Firm, teams: ReturnType<typeof teamsFixture>) {
  await apiJson(
    base,
    'PUT',
    '/api/v1/integrations/teams',
    {
      platform: 'teams',
      azure_tenant_id: teams.app.tenantId,
      client_id: teams.app.clientId,
      client_secret: teams.app.clientSecret,
      client_state: teams.clientState,
      advisor_mappings: [{ platform_user: teams.organizer, advisor_user_id: firm.userId }],
    },
    firm.token,
  );
}

export async function connectMeet(base: string, firm: Firm, meet: ReturnType<typeof meetFixture>) {
  await apiJson(
    base,
    'PUT',
    '/api/v1/integrations/meet',
    {
      platform: 'meet',
      service_account: {
        type: 'service_account',
        client_email: meet.clientEmail,
        private_key: meet.privateKeyPem,
      },
      delegated_user: meet.delegatedUser,
      path_token: meet.pathToken,
      advisor_mappings: [{ platform_user: meet.delegatedUser, advisor_user_id: firm.userId }],
    },
    firm.token,
  );
}

/** `n` Graph change notifications, each for a new transcript the fake Graph serves (with its meeting). */
export function teamsDeliveries(
  graph: FakeGraph,
  teams: ReturnType<typeof teamsFixture>,
  n: number,
): Delivery[] {
  return Array.from({ length: n }, () => {
    const id = randomUUID();
    const meetingId = `MSo${id}`;
    graph.addArtifact(
      { userId: teams.organizer, meetingId, kind: 'transcripts', artifactId: id },
      { contentType: 'text/vtt', body: VTT },
    );
    graph.addOnlineMeeting(
      { userId: teams.organizer, meetingId },
      { subject: 'Quarterly review', startDateTime: new Date().toISOString() },
    );
    const body = JSON.stringify({
      value: [
        {
          subscriptionId: randomUUID(),
          clientState: teams.clientState,
          changeType: 'created',
          resource: `users('${teams.organizer}')/onlineMeetings('${meetingId}')/transcripts('${id}')`,
          tenantId: teams.app.tenantId,
          resourceData: { '@odata.type': '#Microsoft.Graph.callTranscript', id },
        },
      ],
    });
    return { body, headers: () => ({}) };
  });
}

/** `n` Pub/Sub pushes of Workspace Events `transcript.fileGenerated`, each for a Doc the fake Drive exports. */
export function meetDeliveries(google: FakeGoogle, n: number): Delivery[] {
  return Array.from({ length: n }, () => {
    const id = randomUUID();
    const name = `conferenceRecords/cr-${id}/transcripts/t-${id}`;
    google.addArtifact({
      name,
      driveFileId: `doc-${id}`,
      contentType: 'text/plain; charset=utf-8',
      content: Buffer.from('Transcript\n00:00:00\n\nAdvisor: Thanks for coming in.\n'),
    });
    const now = new Date().toISOString();
    const body = JSON.stringify({
      message: {
        attributes: {
          'ce-type': 'google.workspace.meet.transcript.v2.fileGenerated',
          'ce-id': id,
          'ce-specversion': '1.0',
          'ce-time': now,
        },
        data: Buffer.from(JSON.stringify({ transcript: { name } })).toString('base64'),
        messageId: id,
        publishTime: now,
      },
      subscription: 'projects/bench/subscriptions/meet-push',
    });
    return { body, headers: () => ({}) };
  });
}
