import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenCache } from '../../../../functions/adapters/meeting-platforms/access-token-cache';
import { createPlatformHttp } from '../../../../functions/adapters/meeting-platforms/platform-http';
import {
  PlatformArtifactNotReadyError,
  PlatformFetchError,
} from '../../../../functions/core/platforms/errors';
import { createGoogleClient, GOOGLE_SCOPES } from '../../../../functions/integrations/meet/google-client';
import type { GoogleServiceAccountKey } from '../../../../functions/integrations/meet/google-service-account';
import { type FakeGoogle, startFakeGoogle } from '../../../fakes/google-server';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const key: GoogleServiceAccountKey = {
  type: 'service_account',
  client_email: 'meet-reader@firm-a.iam.gserviceaccount.com',
  private_key: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
};
const MEET_TEXT = 'Renata Okafor: Good morning.\nDoug Pruitt: Hi.\n';
let google: FakeGoogle;

beforeAll(async () => {
  google = await startFakeGoogle([
    {
      clientEmail: key.client_email,
      publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    },
  ]);
});
afterAll(async () => google?.close());

function client(serviceAccount = key) {
  return createGoogleClient(serviceAccount, 'renata@firm-a.example', {
    http: createPlatformHttp(),
    endpoints: {
      tokenUrl: google.tokenUrl,
      meetBaseUrl: google.meetBaseUrl,
      driveBaseUrl: google.driveBaseUrl,
    },
    tokens: new AccessTokenCache(),
    now: Date.now,
    maxRecordingBytes: 4096,
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('Google service-account token', () => {
  it('is a JWT bearer grant signed with the key, for the subject and the read-only Meet and Drive scopes', async () => {
    await client().accessToken();
    expect(google.assertions.at(-1)).toMatchObject({
      iss: key.client_email,
      sub: 'renata@firm-a.example',
      aud: google.tokenUrl,
      scope: GOOGLE_SCOPES.join(' '),
    });
  });

  it('is refused for an assertion signed by another key', async () => {
    const forged = {
      ...key,
      private_key: stranger.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    };
    const error = await rejection(client(forged).accessToken());
    expect(error).toBeInstanceOf(PlatformFetchError);
    expect((error as PlatformFetchError).status).toBe(400);
  });
});

describe('Meet transcript', () => {
  it('is not ready until Meet says FILE_GENERATED, then is exported from Drive as text', async () => {
    const artifact = google.addArtifact({
      name: 'conferenceRecords/cr-1/transcripts/t-1',
      driveFileId: 'doc-1',
      content: Buffer.from(MEET_TEXT),
      contentType: 'text/plain; charset=utf-8',
      endedFor: 1,
    });
    const c = client();
    expect(await rejection(c.transcriptText(artifact.name))).toBeInstanceOf(PlatformArtifactNotReadyError);
    expect(await c.transcriptText(artifact.name)).toEqual({
      body: Buffer.from(MEET_TEXT),
      contentType: 'text/plain',
    });
    expect(google.requests.at(-1)?.path).toBe('/drive/v3/files/doc-1/export');
  });

  it('is not ready when Meet does not know it yet (404)', async () => {
    expect(
      await rejection(client().transcriptText('conferenceRecords/cr-x/transcripts/none')),
    ).toBeInstanceOf(PlatformArtifactNotReadyError);
  });

  it('refuses an export over the 10 MB Drive limit', async () => {
    const artifact = google.addArtifact({
      name: 'conferenceRecords/cr-2/transcripts/huge',
      driveFileId: 'doc-huge',
      content: Buffer.alloc(10 * 1024 * 1024 + 1, 'a'),
      contentType: 'text/plain',
    });
    expect(await rejection(client().transcriptText(artifact.name))).toBeInstanceOf(PlatformFetchError);
  });
});

describe('Meet recording', () => {
  it('is downloaded from the Drive file Meet names, within the size limit', async () => {
    const artifact = google.addArtifact({
      name: 'conferenceRecords/cr-1/recordings/r-1',
      driveFileId: 'file-1',
      content: Buffer.from('fake mp4 bytes'),
      contentType: 'video/mp4',
    });
    expect(await client().recording(artifact.name)).toEqual({
      body: Buffer.from('fake mp4 bytes'),
      contentType: 'video/mp4',
    });
    google.addArtifact({
      name: 'conferenceRecords/cr-1/recordings/r-big',
      driveFileId: 'file-big',
      content: Buffer.alloc(5000),
      contentType: 'video/mp4',
    });
    expect(await rejection(client().recording('conferenceRecords/cr-1/recordings/r-big'))).toBeInstanceOf(
      PlatformFetchError,
    );
  });
});
