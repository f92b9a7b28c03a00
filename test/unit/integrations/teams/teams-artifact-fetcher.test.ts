import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenCache } from '../../../../functions/adapters/meeting-platforms/access-token-cache';
import { createPlatformHttp } from '../../../../functions/adapters/meeting-platforms/platform-http';
import { PlatformFetchError } from '../../../../functions/core/platforms/errors';
import type { TeamsCredentials } from '../../../../functions/core/platforms/integration-credentials';
import { createTeamsArtifactFetcher } from '../../../../functions/integrations/teams/teams-artifact-fetcher';
import { type FakeGraph, startFakeGraph } from '../../../fakes/graph-server';

const credentials: TeamsCredentials = {
  platform: 'teams',
  azureTenantId: '0b7f6e7c-3a57-4f0e-9d8e-1f2a3b4c5d6e',
  clientId: '7d3c1a2b-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  clientSecret: 'secret-teams-0123456789',
  clientState: 'c'.repeat(32),
  advisorMappings: [{ platformUser: 'organizer-1', advisorUserId: 'adv-1' }],
};
const VTT = 'WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n<v Renata Okafor>Good morning.</v>\n';
let graph: FakeGraph;

beforeAll(async () => {
  graph = await startFakeGraph(
    [
      {
        tenantId: credentials.azureTenantId,
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
      },
    ],
    { validateEndpoints: false },
  );
});
afterAll(async () => graph?.close());

const fetcher = () =>
  createTeamsArtifactFetcher({
    http: createPlatformHttp(),
    endpoints: { loginBaseUrl: graph.loginBaseUrl, graphBaseUrl: graph.graphBaseUrl },
    tokens: new AccessTokenCache(),
    now: () => 1_000_000,
    maxRecordingBytes: 1024,
  });

const descriptor = (meetingId: string) =>
  ({ platform: 'teams', userId: 'organizer-1', onlineMeetingId: meetingId, transcriptId: 't1' }) as const;

describe('Teams fetcher: the meeting’s details', () => {
  it('reads the subject and start with the token the download cached: one extra GET, no second token', async () => {
    graph.addArtifact(
      { userId: 'organizer-1', meetingId: 'MSo-a', kind: 'transcripts', artifactId: 't1' },
      { contentType: 'text/vtt', body: Buffer.from(VTT) },
    );
    const meeting = graph.addOnlineMeeting(
      { userId: 'organizer-1', meetingId: 'MSo-a' },
      { subject: 'Annual review', startDateTime: '2026-01-20T15:00:00Z' },
    );
    const before = graph.tokensIssued;
    const teams = fetcher();
    await teams.fetch(descriptor('MSo-a'), credentials);
    expect(await teams.meetingDetails?.(descriptor('MSo-a'), credentials)).toEqual({
      title: 'Annual review',
      startDateTime: '2026-01-20T15:00:00Z',
    });
    expect(meeting.requests).toBe(1);
    expect(graph.tokensIssued - before).toBe(1);
  });

  it('leaves out what Graph leaves null', async () => {
    graph.addOnlineMeeting(
      { userId: 'organizer-1', meetingId: 'MSo-null' },
      { subject: null, startDateTime: null },
    );
    expect(await fetcher().meetingDetails?.(descriptor('MSo-null'), credentials)).toEqual({});
  });

  it('throws for a meeting Graph does not show (the intake task keeps the generic title)', async () => {
    await expect(fetcher().meetingDetails?.(descriptor('MSo-unknown'), credentials)).rejects.toBeInstanceOf(
      PlatformFetchError,
    );
  });
});
