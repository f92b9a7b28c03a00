import { describe, expect, it } from 'vitest';
import { VerifiedExtractionSchema } from '../../../../functions/core/extraction/extraction-schema';
import { DEFAULT_FOLLOW_UP_DISCLAIMER } from '../../../../functions/core/firm/firm-settings';
import { extractMeeting } from '../../../../functions/core/pipeline/extract-meeting';
import { TranscriptSchema } from '../../../../functions/core/transcript/transcript';
import { ConflictError, MalformedTranscriptError } from '../../../../functions/platform/errors';
import { pipelineDeps, pipelineMeeting, REF, WEBVTT } from '../../../fakes/pipeline-deps';
import { transcriptOf } from '../../../support/transcript-of';

describe('extractMeeting', () => {
  it('parses the uploaded transcript, stores transcript and verified extraction, returns pointers and counts', async () => {
    const t = pipelineDeps(pipelineMeeting(), { upload: WEBVTT });
    const summary = await extractMeeting(REF, t.deps);

    expect(summary).toMatchObject({
      extractionKey: 'tenants/firm-a/meetings/m-1/extraction.json',
      transcriptKey: 'tenants/firm-a/meetings/m-1/transcript.json',
      extractor: 'offline',
    });
    expect(summary.counts.notes).toBeGreaterThan(0);
    // Pointers and counts only: no client content travels through the state machine.
    expect(JSON.stringify(summary)).not.toMatch(/Doug|401k|rollover/);
    const transcript = TranscriptSchema.parse(JSON.parse(t.blobs.get(summary.transcriptKey) ?? ''));
    expect(transcript.utterances).toHaveLength(3);
    const extraction = VerifiedExtractionSchema.parse(JSON.parse(t.blobs.get(summary.extractionKey) ?? ''));
    expect(extraction.extractor).toBe('offline');

    expect(t.stored()).toMatchObject({
      status: 'processing',
      processingStartedAt: '2026-01-20T15:00:00.000Z',
    });
    expect(t.audit.map((e) => e.action)).toEqual(['meeting.processing_started']);
  });

  it('puts the firm’s own disclaimer on the follow-up draft, or the default when the firm set none', async () => {
    const byDefault = pipelineDeps(pipelineMeeting(), { upload: WEBVTT });
    const plain = await extractMeeting(REF, byDefault.deps);
    const defaultDraft = VerifiedExtractionSchema.parse(
      JSON.parse(byDefault.blobs.get(plain.extractionKey) ?? ''),
    );
    expect(defaultDraft.follow_up_email.disclaimer).toBe(DEFAULT_FOLLOW_UP_DISCLAIMER);

    const own = pipelineDeps(pipelineMeeting(), { upload: WEBVTT });
    own.firm.settings = {
      tenantId: 'firm-a',
      followUpDisclaimer: 'Advisory services offered through Example RIA, LLC.',
      archiveIncludesTranscript: false,
      updatedBy: 'admin-1',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const summary = await extractMeeting(REF, own.deps);
    const draft = VerifiedExtractionSchema.parse(JSON.parse(own.blobs.get(summary.extractionKey) ?? ''));
    expect(draft.follow_up_email.disclaimer).toBe('Advisory services offered through Example RIA, LLC.');
  });

  it('on a retry goes on from processing without a second audit entry', async () => {
    const t = pipelineDeps(pipelineMeeting(), { upload: WEBVTT });
    await extractMeeting(REF, t.deps);
    await extractMeeting(REF, t.deps);
    expect(t.audit).toHaveLength(1);
  });

  it('throws MalformedTranscriptError (by name) for a file the parsers refuse', async () => {
    const t = pipelineDeps(pipelineMeeting(), { upload: 'WEBVTT\n\n00:00:01.000 --> garbage\n' });
    const error = await extractMeeting(REF, t.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedTranscriptError);
    expect((error as Error).name).toBe('MalformedTranscriptError');
    expect(t.blobs.size).toBe(0);
  });

  it('reads an audio meeting from the transcript the transcription step stored', async () => {
    const transcript = transcriptOf([
      ['Sarah Chen (Advisor)', 'I will send you the rollover paperwork by Friday.'],
      ['Doug Miller', 'Great, thank you very much for that.'],
    ]);
    const audio = pipelineMeeting({
      source: { type: 'url', kind: 'audio', url: 'https://example.com/a.mp3' },
      transcriptKey: 'tenants/firm-a/meetings/m-1/transcript.json',
    });
    const t = pipelineDeps(audio);
    t.blobs.set('tenants/firm-a/meetings/m-1/transcript.json', JSON.stringify(transcript));
    const summary = await extractMeeting(REF, t.deps);
    expect(summary.transcriptKey).toBe('tenants/firm-a/meetings/m-1/transcript.json');
    expect(t.blobs.has(summary.extractionKey)).toBe(true);
  });

  it('refuses an audio meeting without a stored transcript, and a finished meeting', async () => {
    const audio = pipelineMeeting({
      source: { type: 'url', kind: 'audio', url: 'https://example.com/a.mp3' },
    });
    await expect(extractMeeting(REF, pipelineDeps(audio).deps)).rejects.toThrow(/no stored transcript/);
    const done = pipelineMeeting({ status: 'completed' });
    await expect(extractMeeting(REF, pipelineDeps(done).deps)).rejects.toBeInstanceOf(ConflictError);
  });
});
