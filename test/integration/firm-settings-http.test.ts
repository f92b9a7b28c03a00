import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_FOLLOW_UP_DISCLAIMER } from '../../functions/core/firm/firm-settings';
import { apiClient } from '../support/api-client';
import { addUser, registerFirm } from '../support/identity-helpers';
import { processedMeeting } from '../support/processed-meeting';

const host = inject('localHost');
const api = apiClient(inject('baseUrl'));

interface SettingsBody {
  follow_up_disclaimer: string;
  archive_includes_transcript: boolean;
  offline_on_refusal: boolean;
  is_default: boolean;
  updated_by?: string;
}

const issuePaths = (body: unknown) =>
  ((body as { error: { issues?: { path: string }[] } }).error.issues ?? []).map((i) => i.path);

const archivedRecord = async (tenantId: string, meetingId: string) => {
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: host.s3Endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'smartadlocal', secretAccessKey: 'smartadlocal' },
  });
  const object = await s3.send(
    new GetObjectCommand({
      Bucket: host.buckets.archive,
      Key: `meetings/${tenantId}/2026/01/${meetingId}.json`,
    }),
  );
  return JSON.parse((await object.Body?.transformToString()) ?? '{}') as Record<string, unknown>;
};

let firm: Awaited<ReturnType<typeof registerFirm>>;
let advisor: Awaited<ReturnType<typeof addUser>>;

beforeAll(async () => {
  firm = await registerFirm('settings');
  advisor = await addUser(firm.token, 'advisor', 'set-a');
});

describe('firm settings', () => {
  it('shows the defaults until an admin saves the firm’s own', async () => {
    const res = await api.get<SettingsBody>('/api/v1/firm/settings', advisor.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      follow_up_disclaimer: DEFAULT_FOLLOW_UP_DISCLAIMER,
      archive_includes_transcript: false,
      offline_on_refusal: false,
      is_default: true,
    });
  });

  it('a meeting processed by default carries the default disclaimer and no transcript in its archive record', async () => {
    const meetingId = await processedMeeting(api, advisor.token);
    const email = await api.get<{ disclaimer: string }>(
      `/api/v1/meetings/${meetingId}/follow-up-email`,
      advisor.token,
    );
    expect(email.body.disclaimer).toBe(DEFAULT_FOLLOW_UP_DISCLAIMER);
    const record = await archivedRecord(firm.tenantId, meetingId);
    expect(record.transcriptIncluded).toBe(false);
    expect(record.parts).not.toHaveProperty('transcript');
  });

  it('lets an admin set the firm’s disclaimer and include transcripts; later meetings follow them', async () => {
    const saved = await api.patch<SettingsBody>(
      '/api/v1/firm/settings',
      {
        follow_up_disclaimer: 'Advisory services offered through Example RIA, LLC.',
        archive_includes_transcript: true,
      },
      firm.token,
    );
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      archive_includes_transcript: true,
      is_default: false,
      updated_by: firm.userId,
    });

    const meetingId = await processedMeeting(api, advisor.token);
    const email = await api.get<{ disclaimer: string }>(
      `/api/v1/meetings/${meetingId}/follow-up-email`,
      advisor.token,
    );
    expect(email.body.disclaimer).toBe('Advisory services offered through Example RIA, LLC.');
    const record = await archivedRecord(firm.tenantId, meetingId);
    expect(record.transcriptIncluded).toBe(true);
    expect(typeof (record.parts as Record<string, unknown>).transcript).toBe('string');

    const audit = await api.settledAudit<{ items: { action: string; details: Record<string, unknown> }[] }>(
      '/api/v1/audit?limit=100',
      firm.token,
    );
    expect(audit.body.items.find((e) => e.action === 'firm.settings_changed')?.details).toEqual({
      fields: 'follow_up_disclaimer,archive_includes_transcript',
      archive_includes_transcript: true,
    });
  });

  it('changes one field and keeps the other', async () => {
    const res = await api.patch<SettingsBody>(
      '/api/v1/firm/settings',
      { archive_includes_transcript: false },
      firm.token,
    );
    expect(res.body).toMatchObject({
      follow_up_disclaimer: 'Advisory services offered through Example RIA, LLC.',
      archive_includes_transcript: false,
    });
  });

  it('lets an admin allow the offline result when Claude declines, and keeps the other fields', async () => {
    const res = await api.patch<SettingsBody>(
      '/api/v1/firm/settings',
      { offline_on_refusal: true },
      firm.token,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      offline_on_refusal: true,
      follow_up_disclaimer: 'Advisory services offered through Example RIA, LLC.',
    });
    const notBoolean = await api.patch('/api/v1/firm/settings', { offline_on_refusal: 'yes' }, firm.token);
    expect(issuePaths(notBoolean.body)).toContain('body.offline_on_refusal');
    // Audited with the change itself (one write), naming the field.
    const audit = await api.settledAudit<{ items: { action: string; details: Record<string, unknown> }[] }>(
      '/api/v1/audit?limit=100',
      firm.token,
    );
    const changes = audit.body.items.filter((e) => e.action === 'firm.settings_changed');
    expect(changes.map((e) => e.details.fields)).toContain('offline_on_refusal');
  });

  it('refuses non-admins (403) and bad changes (400 naming the field)', async () => {
    expect(
      (await api.patch('/api/v1/firm/settings', { archive_includes_transcript: true }, advisor.token)).status,
    ).toBe(403);
    const tooLong = await api.patch(
      '/api/v1/firm/settings',
      { follow_up_disclaimer: 'x'.repeat(2001) },
      firm.token,
    );
    expect(tooLong.status).toBe(400);
    expect(issuePaths(tooLong.body)).toContain('body.follow_up_disclaimer');
    const notBoolean = await api.patch(
      '/api/v1/firm/settings',
      { archive_includes_transcript: 'yes' },
      firm.token,
    );
    expect(issuePaths(notBoolean.body)).toContain('body.archive_includes_transcript');
    expect((await api.patch('/api/v1/firm/settings', {}, firm.token)).status).toBe(400);
  });

  it('keeps each firm’s settings to itself', async () => {
    const other = await registerFirm('settings-other');
    const res = await api.get<SettingsBody>('/api/v1/firm/settings', other.token);
    expect(res.body.is_default).toBe(true);
  });
});
