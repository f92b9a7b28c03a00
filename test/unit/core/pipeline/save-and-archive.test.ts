import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  archiveKeyOf,
  archiveMeeting,
  archiveRecord,
} from '../../../../functions/core/pipeline/archive-meeting';
import { extractMeeting } from '../../../../functions/core/pipeline/extract-meeting';
import { recordArchiveFailure } from '../../../../functions/core/pipeline/record-archive-failure';
import { saveExtraction } from '../../../../functions/core/pipeline/save-extraction';
import { ConflictError } from '../../../../functions/platform/errors';
import { NOW, pipelineDeps, pipelineMeeting, REF, WEBVTT } from '../../../fakes/pipeline-deps';

async function extracted(options: { includeTranscript?: boolean } = {}) {
  const t = pipelineDeps(pipelineMeeting(), { upload: WEBVTT });
  if (options.includeTranscript) {
    t.firm.settings = {
      tenantId: 'firm-a',
      followUpDisclaimer: 'Advisory services through Example RIA.',
      archiveIncludesTranscript: true,
      updatedBy: 'admin-1',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
  }
  const extraction = await extractMeeting(REF, t.deps);
  await saveExtraction({ ...REF, extraction }, t.deps);
  return { t, extraction };
}

describe('saveExtraction', () => {
  it('attaches keys, extractor and counts to the processing meeting', async () => {
    const { t, extraction } = await extracted();
    expect(t.stored()).toMatchObject({
      status: 'processing',
      extractionKey: extraction.extractionKey,
      transcriptKey: extraction.transcriptKey,
      extractor: 'offline',
      extractionCounts: extraction.counts,
    });
  });

  it('refuses a meeting that is not processing', async () => {
    const t = pipelineDeps(pipelineMeeting({ status: 'failed' }));
    const extraction = {
      extractionKey: 'k',
      transcriptKey: 't',
      extractor: 'offline' as const,
      counts: { notes: 0, actionItems: 0, clientFacts: 0, complianceFlags: 0, unverified: 0 },
    };
    await expect(saveExtraction({ ...REF, extraction }, t.deps)).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('archiveMeeting', () => {
  it('writes the record once under meetings/{tenant}/{yyyy}/{mm}/{id}.json, retained 2190 days, with a manifest', async () => {
    const { t } = await extracted();
    const result = await archiveMeeting(REF, t.deps);
    expect(result).toEqual({ archiveKey: 'meetings/firm-a/2026/01/m-1.json', outcome: 'written' });
    const written = t.archived.get(result.archiveKey);
    expect(written?.retainUntil).toEqual(new Date(NOW + 2190 * 86_400_000));
    const record = JSON.parse(written?.body ?? '');
    expect(record.transcriptIncluded).toBe(false);
    expect(Object.keys(record.parts)).toEqual(['meeting', 'extraction']);
    for (const [name, text] of Object.entries(record.parts as Record<string, string>)) {
      expect(record.manifest.parts[name].sha256).toBe(createHash('sha256').update(text).digest('hex'));
    }
    expect(JSON.parse(record.parts.meeting).meetingId).toBe('m-1');
    expect(t.stored()).toMatchObject({ archiveStatus: 'archived', archiveKey: result.archiveKey });
    expect(t.audit.map((e) => e.action)).toContain('meeting.archived');
  });

  it('records the archiving on the meeting with its key and outcome, audited', async () => {
    const { t } = await extracted();
    await archiveMeeting(REF, t.deps);
    expect(t.audit.filter((e) => e.action === 'meeting.archived')).toEqual([
      expect.objectContaining({
        outcome: 'success',
        details: { archiveKey: 'meetings/firm-a/2026/01/m-1.json', outcome: 'written' },
      }),
    ]);
    const record = JSON.parse(t.archived.get('meetings/firm-a/2026/01/m-1.json')?.body ?? '');
    expect(record.manifest.algorithm).toBe('SHA-256');
  });

  it('marks the meeting archived after an earlier failure, and moves it to a new key', async () => {
    for (const before of [
      { archiveStatus: 'failed' as const, archiveKey: 'meetings/firm-a/2026/01/m-1.json' },
      { archiveStatus: 'archived' as const, archiveKey: 'meetings/firm-a/2025/12/m-1.json' },
    ]) {
      const { t } = await extracted();
      t.meetings.set('m-1', { ...t.stored(), ...before });
      await archiveMeeting(REF, t.deps);
      expect(t.stored()).toMatchObject({
        archiveStatus: 'archived',
        archiveKey: 'meetings/firm-a/2026/01/m-1.json',
      });
    }
  });

  it('leaves a recording URL out of the record (it may carry tokens) and keeps an upload as it is', () => {
    const fromUrl = pipelineMeeting({
      source: { type: 'url', kind: 'audio', url: 'https://zoom.example/rec?access_token=secret' },
    });
    const urlRecord = JSON.parse(archiveRecord(fromUrl, { extraction: {} }, '2026-01-21T00:00:00.000Z'));
    expect(JSON.parse(urlRecord.parts.meeting).source).toEqual({ type: 'url', kind: 'audio' });
    expect(JSON.stringify(urlRecord)).not.toContain('secret');
    const uploaded = pipelineMeeting();
    const uploadRecord = JSON.parse(archiveRecord(uploaded, { extraction: {} }, '2026-01-21T00:00:00.000Z'));
    expect(JSON.parse(uploadRecord.parts.meeting).source).toEqual(uploaded.source);
  });

  it('includes the transcript only when the firm setting says so', async () => {
    const { t } = await extracted({ includeTranscript: true });
    const { archiveKey } = await archiveMeeting(REF, t.deps);
    const record = JSON.parse(t.archived.get(archiveKey)?.body ?? '');
    expect(record.transcriptIncluded).toBe(true);
    expect(Object.keys(record.manifest.parts)).toEqual(['meeting', 'extraction', 'transcript']);
  });

  it('treats an existing object as already archived (a retry after a lost answer)', async () => {
    const { t } = await extracted();
    await archiveMeeting(REF, t.deps);
    const again = await archiveMeeting(REF, t.deps);
    expect(again.outcome).toBe('already_archived');
    expect(t.audit.filter((e) => e.action === 'meeting.archived')).toHaveLength(1);
  });

  it('refuses a meeting without a saved extraction', async () => {
    const t = pipelineDeps(pipelineMeeting({ status: 'processing' }));
    await expect(archiveMeeting(REF, t.deps)).rejects.toThrow(
      new ConflictError('Meeting m-1 has no saved extraction to archive.'),
    );
  });

  it('dates the key by the meeting date', () => {
    expect(archiveKeyOf({ tenantId: 't', meetingId: 'm', meetingDate: '2025-12-31' })).toBe(
      'meetings/t/2025/12/m.json',
    );
  });
});

describe('recordArchiveFailure', () => {
  it('logs COMPLIANCE ACTION REQUIRED with the reason, counts the metric and sets archive_status failed', async () => {
    const t = pipelineDeps(pipelineMeeting({ status: 'processing' }));
    const error = {
      Error: 'AccessDenied',
      Cause: JSON.stringify({ errorType: 'AccessDenied', errorMessage: 'Access Denied' }),
    };
    await recordArchiveFailure({ ...REF, error }, t.deps);
    expect(t.lines).toEqual([
      'COMPLIANCE ACTION REQUIRED: meeting m-1 of tenant firm-a could not be archived: Access Denied',
    ]);
    expect(t.archiveFailures()).toBe(1);
    expect(t.stored().archiveStatus).toBe('failed');
    expect(t.audit.map((e) => [e.action, e.outcome])).toEqual([['meeting.archive_failed', 'failure']]);
  });
});
