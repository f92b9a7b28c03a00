import { describe, expect, it } from 'vitest';
import { cachedWebhookIntegrations } from '../../../../functions/adapters/meeting-platforms/webhook-integration-cache';
import type { User } from '../../../../functions/core/identity/user';
import { WebhookRejectedError } from '../../../../functions/core/platforms/errors';
import { webhookIntegrationLookup } from '../../../../functions/core/platforms/webhook-integration';
import {
  receiveZoomWebhook,
  type ZoomDelivery,
} from '../../../../functions/integrations/zoom/receive-zoom-webhook';
import {
  zoomSignature,
  zoomSignatureMatches,
  zoomUrlValidationToken,
} from '../../../../functions/integrations/zoom/zoom-signature';
import { MalformedBodyError, ValidationError } from '../../../../functions/platform/errors';
import { NOW, platformDeps, ZOOM_ACCOUNT, ZOOM_SECRET, zoomIntegration } from '../../../fakes/platform-deps';
import { zoomHeaders, zoomRecordingEvent } from '../../../fakes/zoom-server';

const TS = Math.floor(NOW / 1000);

describe('Zoom signature', () => {
  it('matches a vector computed independently (openssl dgst -sha256 -hmac)', () => {
    const body = '{"event":"recording.completed","payload":{"account_id":"AAA"}}';
    expect(zoomSignature(ZOOM_SECRET, '1768924800', body)).toBe(
      'v0=ca3ca86443e8db2cf480224827caf2a9e5a331d862a3d30f5dc1f53c37fc11a9',
    );
    expect(zoomUrlValidationToken(ZOOM_SECRET, 'qgg8vlvZRS6UYooatFL8Aw')).toBe(
      'fa52ecf98b4919aaa696f04cdc156ea40b1eba020707f76b8c9e455168295b87',
    );
  });

  it.each([
    ['valid', ZOOM_SECRET, '1768924800', '{"a":1}', undefined, true],
    ['tampered body', ZOOM_SECRET, '1768924800', '{"a":2}', undefined, false],
    ['wrong secret', 'another-secret-token-0000', '1768924800', '{"a":1}', undefined, false],
    ['other timestamp', ZOOM_SECRET, '1768924801', '{"a":1}', undefined, false],
    ['re-serialised JSON', ZOOM_SECRET, '1768924800', '{ "a": 1 }', undefined, false],
    ['absent header', ZOOM_SECRET, '1768924800', '{"a":1}', 'absent', false],
    ['truncated header', ZOOM_SECRET, '1768924800', '{"a":1}', 'v0=', false],
  ])('%s', (_name, secret, timestamp, body, header, ok) => {
    const signed = zoomSignature(ZOOM_SECRET, '1768924800', '{"a":1}');
    const received = header === 'absent' ? undefined : (header ?? signed);
    expect(zoomSignatureMatches(secret, timestamp, body, received)).toBe(ok);
  });
});

function delivery(body: unknown, options: Partial<ZoomDelivery> & { secret?: string; ts?: number } = {}) {
  const rawBody = options.rawBody ?? JSON.stringify(body);
  const headers = zoomHeaders(options.secret ?? ZOOM_SECRET, rawBody, options.ts ?? TS);
  return {
    rawBody,
    signature: 'signature' in options ? options.signature : headers['x-zm-signature'],
    timestamp: 'timestamp' in options ? options.timestamp : headers['x-zm-request-timestamp'],
    firm: options.firm,
  };
}

function recording(
  uuid = 'uuid-1',
  overrides: { hostEmail?: string; files?: Parameters<typeof zoomRecordingEvent>[0]['files'] } = {},
) {
  return zoomRecordingEvent({
    accountId: ZOOM_ACCOUNT,
    uuid,
    hostEmail: overrides.hostEmail ?? 'Sarah@Firm.example',
    downloadToken: 'dl-token-1',
    startTime: '2026-01-21T01:30:00Z',
    timezone: 'America/Los_Angeles',
    files: overrides.files ?? [
      { file_type: 'MP4', file_extension: 'MP4', download_url: 'https://zoom.us/rec/download/v.mp4' },
      { file_type: 'M4A', file_extension: 'M4A', download_url: 'https://zoom.us/rec/download/a.m4a' },
      { file_type: 'TRANSCRIPT', file_extension: 'VTT', download_url: 'https://zoom.us/rec/download/t.vtt' },
    ],
  });
}

function setup() {
  const fakes = platformDeps();
  const deps = {
    integrations: webhookIntegrationLookup({
      routes: fakes.routeStore,
      integrations: fakes.integrationStore,
    }),
    intake: fakes.deps,
    clock: { now: () => NOW },
  };
  return { ...fakes, receive: (d: ZoomDelivery) => receiveZoomWebhook(d, deps) };
}

const rejection = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookRejectedError);
  return (error as WebhookRejectedError).reason;
};

describe('receiveZoomWebhook', () => {
  it('creates the mapped advisor’s meeting, pending its file, with the transcript preferred and no client names', async () => {
    const t = setup();
    const result = await t.receive(delivery(recording()));
    expect(result).toMatchObject({ kind: 'recording', tenantId: 'firm-a', result: { outcome: 'created' } });
    const [meeting] = [...t.meetings.values()];
    expect(meeting).toMatchObject({
      ownerUserId: 'adv-1',
      status: 'pending_upload',
      title: 'Annual review',
      // 01:30 UTC on the 21st is 17:30 on the 20th in Los Angeles.
      meetingDate: '2026-01-20',
      clientNames: [],
      source: { type: 'platform', platform: 'zoom', kind: 'transcript', externalMeetingId: 'uuid-1' },
    });
    expect(meeting?.consent).toBeUndefined();
    expect(JSON.stringify(meeting)).not.toContain('dl-token-1');
    const [intake] = [...t.intakes.values()];
    expect(intake?.descriptor).toEqual({
      platform: 'zoom',
      downloadUrl: 'https://zoom.us/rec/download/t.vtt',
      downloadToken: 'dl-token-1',
      fileType: 'TRANSCRIPT',
      extension: 'vtt',
      kind: 'transcript',
    });
    expect(t.starts).toEqual([{ tenantId: 'firm-a', meetingId: meeting?.meetingId, platform: 'zoom' }]);
  });

  it('falls back to the audio (M4A), then the video (MP4), when there is no transcript', async () => {
    const t = setup();
    await t.receive(
      delivery(
        recording('u-audio', {
          files: [
            { file_type: 'MP4', file_extension: 'MP4', download_url: 'https://zoom.us/v.mp4' },
            { file_type: 'M4A', file_extension: 'M4A', download_url: 'https://zoom.us/a.m4a' },
            { file_type: 'CHAT', file_extension: 'TXT', download_url: 'https://zoom.us/c.txt' },
          ],
        }),
      ),
    );
    await t.receive(
      delivery(
        recording('u-video', {
          files: [{ file_type: 'MP4', file_extension: 'MP4', download_url: 'https://zoom.us/v.mp4' }],
        }),
      ),
    );
    expect([...t.intakes.values()].map((i) => i.descriptor)).toMatchObject([
      { extension: 'm4a', kind: 'audio', downloadUrl: 'https://zoom.us/a.m4a' },
      { extension: 'mp4', kind: 'audio' },
    ]);
  });

  it('creates one meeting for a replayed event (same meeting instance), and starts the intake again only while it waits', async () => {
    const t = setup();
    const first = await t.receive(delivery(recording()));
    const replay = await t.receive(delivery(recording(), { ts: TS + 60 }));
    const transcriptLater = await t.receive(
      delivery({ ...recording(), event: 'recording.transcript_completed' }, { ts: TS + 120 }),
    );
    expect(t.meetings.size).toBe(1);
    const id = [...t.meetings.keys()][0];
    expect(first).toMatchObject({ result: { outcome: 'created', meetingId: id } });
    expect(replay).toMatchObject({ result: { outcome: 'duplicate', meetingId: id } });
    expect(transcriptLater).toMatchObject({ result: { outcome: 'duplicate', meetingId: id } });
  });

  it('creates exactly one meeting when the same event arrives many times at once', async () => {
    const t = setup();
    const results = await Promise.all(Array.from({ length: 25 }, () => t.receive(delivery(recording()))));
    expect(t.meetings.size).toBe(1);
    const outcomes = results.map((r) => (r.kind === 'recording' ? r.result.outcome : r.kind));
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(24);
  });

  it('admits nothing for a deactivated advisor, not even the claim, so a redelivery after reactivation is admitted', async () => {
    const advisor = { userId: 'adv-1', tenantId: 'firm-a', role: 'advisor', status: 'deactivated' };
    const t = platformDeps({ users: [advisor as unknown as User] });
    const receive = (d: ZoomDelivery) =>
      receiveZoomWebhook(d, {
        integrations: webhookIntegrationLookup({ routes: t.routeStore, integrations: t.integrationStore }),
        intake: t.deps,
        clock: { now: () => NOW },
      });
    expect(await receive(delivery(recording()))).toMatchObject({
      result: { outcome: 'ignored', reason: 'advisor_inactive' },
    });
    expect(t.meetings.size + t.claims.size + t.intakes.size + t.starts.length).toBe(0);
    advisor.status = 'active';
    expect(await receive(delivery(recording()))).toMatchObject({ result: { outcome: 'created' } });
    expect(t.meetings.size).toBe(1);
  });

  it('admits nothing for a mapped user whose role may not own meetings', async () => {
    const user = { userId: 'adv-1', tenantId: 'firm-a', role: 'compliance', status: 'active' };
    const t = platformDeps({ users: [user as unknown as User] });
    const result = await receiveZoomWebhook(delivery(recording()), {
      integrations: webhookIntegrationLookup({ routes: t.routeStore, integrations: t.integrationStore }),
      intake: t.deps,
      clock: { now: () => NOW },
    });
    expect(result).toMatchObject({ result: { outcome: 'ignored', reason: 'advisor_inactive' } });
    expect(t.meetings.size + t.claims.size).toBe(0);
  });

  it.each([
    ['a tampered body', (raw: string) => ({ rawBody: raw.replace('Annual', 'Annul') }), 'bad_signature'],
    ['the wrong secret', () => ({ secret: 'not-the-firms-secret-000' }), 'bad_signature'],
    ['a stale timestamp (301 s old)', () => ({ ts: TS - 301 }), 'stale_timestamp'],
    ['a future timestamp (301 s ahead)', () => ({ ts: TS + 301 }), 'stale_timestamp'],
    ['no signature header', () => ({ signature: undefined }), 'missing_headers'],
    ['no timestamp header', () => ({ timestamp: undefined }), 'missing_headers'],
    ['a timestamp that is not a number', () => ({ timestamp: 'yesterday' }), 'missing_headers'],
  ])('refuses %s with nothing created', async (_name, change, reason) => {
    const t = setup();
    const event = recording();
    const signed = delivery(event);
    const tweak = change(signed.rawBody) as Partial<ZoomDelivery> & { secret?: string; ts?: number };
    const sent = 'rawBody' in tweak ? { ...signed, ...tweak } : delivery(event, tweak);
    expect(await rejection(t.receive(sent))).toBe(reason);
    expect(t.meetings.size + t.claims.size + t.starts.length).toBe(0);
  });

  it('accepts timestamps 300 s away either way', async () => {
    const t = setup();
    await t.receive(delivery(recording('u-past'), { ts: TS - 300 }));
    await t.receive(delivery(recording('u-future'), { ts: TS + 300 }));
    expect(t.meetings.size).toBe(2);
  });

  it('refuses an unknown account exactly like a bad signature, before checking any signature', async () => {
    const t = setup();
    const event = recording();
    event.payload.account_id = 'someone-else';
    expect(await rejection(t.receive(delivery(event)))).toBe('unknown_account');
    expect(await rejection(t.receive(delivery(recording(), { firm: 'another-integration' })))).toBe(
      'unknown_account',
    );
    expect(t.meetings.size).toBe(0);
  });

  it('answers URL validation with the firm named by the endpoint URL, and refuses it without one', async () => {
    const t = setup();
    const body = {
      event: 'endpoint.url_validation',
      payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' },
      event_ts: 1,
    };
    expect(await t.receive(delivery(body, { firm: 'int-zoom-1' }))).toEqual({
      kind: 'url_validation',
      tenantId: 'firm-a',
      plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
      encryptedToken: 'fa52ecf98b4919aaa696f04cdc156ea40b1eba020707f76b8c9e455168295b87',
    });
    expect(await rejection(t.receive(delivery(body)))).toBe('unknown_account');
    expect(
      await rejection(t.receive(delivery(body, { firm: 'int-zoom-1', secret: 'wrong-secret-0000000' }))),
    ).toBe('bad_signature');
  });

  it('answers malformed bodies with errors naming the field, never the value', async () => {
    const t = setup();
    await expect(t.receive(delivery(null, { rawBody: '{"event":' }))).rejects.toBeInstanceOf(
      MalformedBodyError,
    );
    const noPayload = await t.receive(delivery({ event: 'recording.completed' })).catch((e: unknown) => e);
    expect(noPayload).toBeInstanceOf(ValidationError);
    expect((noPayload as ValidationError).issues.map((i) => i.path)).toEqual(['body.payload']);
    const event = recording();
    (event.payload.object as Record<string, unknown>).start_time = 'Tuesday at Sarah@Firm.example';
    const bad = (await t.receive(delivery(event)).catch((e: unknown) => e)) as ValidationError;
    expect(bad.issues.map((i) => i.path)).toEqual(['body.payload.object.start_time']);
    expect(JSON.stringify(bad.issues)).not.toContain('Sarah');
    expect(t.meetings.size).toBe(0);
  });

  it('acknowledges signed events it does not handle, and recordings without a usable file, creating nothing', async () => {
    const t = setup();
    const other = await t.receive(
      delivery({ event: 'meeting.ended', payload: { account_id: ZOOM_ACCOUNT } }),
    );
    expect(other).toEqual({ kind: 'ignored', tenantId: 'firm-a', event: 'meeting.ended' });
    const chatOnly = await t.receive(
      delivery(
        recording('u-chat', {
          files: [{ file_type: 'CHAT', file_extension: 'TXT', download_url: 'https://zoom.us/c' }],
        }),
      ),
    );
    expect(chatOnly).toMatchObject({ result: { outcome: 'no_usable_file' } });
    expect(t.meetings.size).toBe(0);
  });

  it('ignores a meeting whose host maps to no advisor', async () => {
    const t = setup();
    const result = await t.receive(delivery(recording('u-x', { hostEmail: 'stranger@example.com' })));
    expect(result).toMatchObject({ result: { outcome: 'ignored', reason: 'unmapped_host' } });
    expect(t.meetings.size + t.intakes.size + t.starts.length).toBe(0);
  });

  describe('in a warm instance, which caches the firm’s integration', () => {
    const NEW_SECRET = 'zoom-secret-token-rotated-987654';
    function warmInstance() {
      const t = platformDeps();
      let cacheNow = 0;
      const integrations = cachedWebhookIntegrations(
        webhookIntegrationLookup({ routes: t.routeStore, integrations: t.integrationStore }),
        { ttlMs: 30_000, maxEntries: 10, now: () => cacheNow },
      );
      const receive = (d: ZoomDelivery) =>
        receiveZoomWebhook(d, { integrations, intake: t.deps, clock: { now: () => NOW } });
      const rotate = () =>
        t.saveIntegration(
          zoomIntegration({
            credentials: { ...zoomIntegration().credentials, webhookSecretToken: NEW_SECRET } as never,
          }),
        );
      const externalIds = () =>
        [...t.meetings.values()].map((m) => (m.source.type === 'platform' ? m.source.externalMeetingId : ''));
      return {
        receive,
        rotate,
        externalIds,
        advance: (ms: number) => {
          cacheNow += ms;
        },
      };
    }

    it('verifies a delivery signed with a just-replaced secret at once, and then refuses the old one', async () => {
      const w = warmInstance();
      await w.receive(delivery(recording('u-1')));
      w.rotate();
      await w.receive(delivery(recording('u-2'), { secret: NEW_SECRET }));
      expect(await rejection(w.receive(delivery(recording('u-3'))))).toBe('bad_signature');
      expect(w.externalIds()).toEqual(['u-1', 'u-2']);
    });

    it('honours the old secret it remembers for at most the cache TTL', async () => {
      const w = warmInstance();
      await w.receive(delivery(recording('u-1')));
      w.rotate();
      w.advance(29_999);
      await w.receive(delivery(recording('u-2')));
      w.advance(1);
      expect(await rejection(w.receive(delivery(recording('u-3'))))).toBe('bad_signature');
      expect(w.externalIds()).toEqual(['u-1', 'u-2']);
    });
  });
});
