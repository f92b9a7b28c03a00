import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readMeetEvent } from '../../../../functions/integrations/meet/meet-event';
import { PubSubPushSchema } from '../../../../functions/integrations/meet/pubsub-push';
import { type Jwks, verifyGoogleOidc } from '../../../../functions/integrations/meet/verify-google-oidc';
import { ValidationError } from '../../../../functions/platform/errors';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
const push = (type: string, data: unknown, extra: Record<string, string> = {}) =>
  PubSubPushSchema.parse({
    message: {
      attributes: { 'ce-type': type, 'ce-id': 'evt-1', 'ce-specversion': '1.0', ...extra },
      data: b64(data),
      messageId: '1234',
      message_id: '1234',
      publishTime: '2026-01-01T00:00:00Z',
    },
    subscription: 'projects/p/subscriptions/s',
  });
const TRANSCRIPT = 'google.workspace.meet.transcript.v2.fileGenerated';
const RECORDING = 'google.workspace.meet.recording.v2.fileGenerated';

describe('PubSubPushSchema', () => {
  it('needs a message id in either spelling and base64 data', () => {
    expect(PubSubPushSchema.safeParse({ message: { message_id: '1', data: 'e30=' } }).success).toBe(true);
    const noId = PubSubPushSchema.safeParse({ message: { data: 'e30=' } });
    expect(noId.error?.issues[0]?.path).toEqual(['message', 'messageId']);
    const notBase64 = PubSubPushSchema.safeParse({ message: { messageId: '1', data: '{"a":1}' } });
    expect(notBase64.error?.issues[0]?.path).toEqual(['message', 'data']);
  });
});

describe('readMeetEvent', () => {
  it('reads a transcript and a recording fileGenerated event, ce-id as the dedup id', () => {
    expect(
      readMeetEvent(push(TRANSCRIPT, { transcript: { name: 'conferenceRecords/cr1/transcripts/t1' } })),
    ).toEqual({
      kind: 'transcript',
      eventId: 'meet:evt-1',
      eventType: TRANSCRIPT,
      name: 'conferenceRecords/cr1/transcripts/t1',
    });
    expect(
      readMeetEvent(push(RECORDING, { recording: { name: 'conferenceRecords/cr1/recordings/r1' } })),
    ).toMatchObject({ kind: 'recording', name: 'conferenceRecords/cr1/recordings/r1' });
  });

  it('uses the Pub/Sub message id when there is no ce-id', () => {
    const message = push(TRANSCRIPT, { transcript: { name: 'conferenceRecords/a/transcripts/b' } });
    delete message.message.attributes?.['ce-id'];
    expect(readMeetEvent(message).eventId).toBe('meet:1234');
  });

  it('ignores other event types without reading their data', () => {
    expect(readMeetEvent(push('google.workspace.meet.conference.v2.started', 'not even an object'))).toEqual({
      kind: 'ignored',
      eventId: 'meet:evt-1',
      eventType: 'google.workspace.meet.conference.v2.started',
    });
  });

  it('refuses a missing type, undecodable data and a name that is not an artifact, naming the field', () => {
    const issuePath = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).issues[0]?.path;
      }
      throw new Error('did not throw');
    };
    const untyped = push(TRANSCRIPT, {});
    delete untyped.message.attributes?.['ce-type'];
    expect(issuePath(() => readMeetEvent(untyped))).toBe('body.message.attributes.ce-type');
    const garbage = push(TRANSCRIPT, {});
    garbage.message.data = Buffer.from('not json').toString('base64');
    expect(issuePath(() => readMeetEvent(garbage))).toBe('body.message.data');
    for (const name of ['https://evil.example/x', 'conferenceRecords/a/transcripts/../../b', 'spaces/a']) {
      expect(issuePath(() => readMeetEvent(push(TRANSCRIPT, { transcript: { name } })))).toBe(
        'body.message.data.transcript.name',
      );
    }
  });
});

describe('verifyGoogleOidc', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const jwks: Jwks = { keys: [{ kty: 'RSA', kid: 'k1', n: jwk.n, e: jwk.e, alg: 'RS256' }] };
  const expected = {
    jwks,
    audience: 'https://api.example.com/webhooks/meet',
    email: 'push@p.iam.gserviceaccount.com',
  };
  const now = 1_767_225_600_000;
  const claims = {
    iss: 'https://accounts.google.com',
    aud: expected.audience,
    email: expected.email,
    email_verified: true,
    iat: now / 1000 - 10,
    exp: now / 1000 + 3590,
    sub: '1234',
  };
  const jwt = (
    body: Record<string, unknown> = claims,
    key = privateKey,
    header: Record<string, unknown> = {},
  ) => {
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const input = `${part({ alg: 'RS256', kid: 'k1', typ: 'JWT', ...header })}.${part(body)}`;
    return `Bearer ${input}.${sign('RSA-SHA256', Buffer.from(input), key).toString('base64url')}`;
  };

  it('accepts a token Google would send', () => {
    expect(verifyGoogleOidc(jwt(), expected, now)).toEqual({ ok: true });
  });

  it.each([
    ['no token', undefined, 'no bearer token'],
    ['another key', jwt(claims, other.privateKey), 'bad signature'],
    ['an unknown kid', jwt(claims, privateKey, { kid: 'k2' }), 'unknown signing key'],
    ['alg none', jwt(claims, privateKey, { alg: 'none' }), 'header is not RS256 with a kid'],
    ['another issuer', jwt({ ...claims, iss: 'https://evil.example' }), 'wrong issuer'],
    ['another audience', jwt({ ...claims, aud: 'https://other.example' }), 'wrong audience'],
    ['another account', jwt({ ...claims, email: 'x@evil.iam.gserviceaccount.com' }), 'wrong email'],
    ['an unverified email', jwt({ ...claims, email_verified: false }), 'email not verified'],
    ['an expired token (a replay)', jwt({ ...claims, exp: now / 1000 - 120 }), 'expired'],
    ['a future token', jwt({ ...claims, iat: now / 1000 + 600 }), 'issued in the future'],
  ])('refuses %s', (_, header, reason) => {
    expect(verifyGoogleOidc(header, expected, now)).toEqual({ ok: false, reason });
  });

  it('refuses a tampered payload under a valid signature', () => {
    const [h, , s] = jwt().slice('Bearer '.length).split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, email: 'x@y.z' })).toString('base64url');
    expect(verifyGoogleOidc(`Bearer ${h}.${forged}.${s}`, expected, now)).toEqual({
      ok: false,
      reason: 'bad signature',
    });
  });
});
