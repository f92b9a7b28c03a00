import { describe, expect, it } from 'vitest';
import { VerifiedExtractionSchema } from '../../../../functions/core/extraction/extraction-schema';
import type { LlmCall } from '../../../../functions/core/extraction/llm-call';
import { DEFAULT_FOLLOW_UP_DISCLAIMER } from '../../../../functions/core/firm/firm-settings';
import { extractMeeting, TranscriptTooLongError } from '../../../../functions/core/pipeline/extract-meeting';
import { isImmutableExtractionKey } from '../../../../functions/core/pipeline/extraction-blob-name';
import { saveExtraction } from '../../../../functions/core/pipeline/save-extraction';
import { MalformedTranscriptError } from '../../../../functions/core/transcript/errors';
import { TranscriptSchema } from '../../../../functions/core/transcript/transcript';
import {
  ModelRefusalError,
  ModelSpendLimitError,
} from '../../../../functions/integrations/anthropic/llm-errors';
import { offlineExtractor } from '../../../../functions/integrations/offline/offline-extractor';
import { ConflictError } from '../../../../functions/platform/errors';
import { pipelineDeps, pipelineMeeting, REF, WEBVTT } from '../../../fakes/pipeline-deps';
import { transcriptOf } from '../../../support/transcript-of';

describe('extractMeeting', () => {
  it('parses the uploaded transcript, stores transcript and verified extraction, returns pointers and counts', async () => {
    const t = pipelineDeps(pipelineMeeting(), { upload: WEBVTT });
    const summary = await extractMeeting(REF, t.deps);

    expect(summary.extractionKey).toMatch(/^tenants\/firm-a\/meetings\/m-1\/extraction-[0-9a-f]{32}\.json$/);
    expect(isImmutableExtractionKey(summary.extractionKey)).toBe(true);
    expect(summary).toMatchObject({
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
    // Another content, another object: a stored extraction is never overwritten, so readers may cache it.
    expect(summary.extractionKey).not.toBe(plain.extractionKey);
    const again = pipelineDeps(pipelineMeeting(), { upload: WEBVTT });
    expect((await extractMeeting(REF, again.deps)).extractionKey).toBe(plain.extractionKey);
  });

  it('names only content-addressed extraction objects immutable', () => {
    expect(isImmutableExtractionKey('tenants/f/meetings/m/extraction.json')).toBe(false);
    expect(isImmutableExtractionKey('tenants/f/meetings/m/transcript.json')).toBe(false);
    expect(isImmutableExtractionKey('tenants/f/meetings/m/extraction-progress.json')).toBe(false);
    expect(isImmutableExtractionKey(`tenants/f/meetings/m/extraction-${'a'.repeat(32)}.json`)).toBe(true);
  });

  it('on a retry goes on from processing without a second audit entry', async () => {
    const t = pipelineDeps(pipelineMeeting(), { upload: WEBVTT });
    await extractMeeting(REF, t.deps);
    await extractMeeting(REF, t.deps);
    expect(t.audit).toHaveLength(1);
  });

  it('removes the plain-text upload once the transcript is stored encrypted; a retry reads the stored one', async () => {
    const t = pipelineDeps(pipelineMeeting(), { upload: WEBVTT });
    const first = await extractMeeting(REF, t.deps);
    expect(t.removedUploads).toEqual(['uploads/firm-a/2026/01/m-1.vtt']);
    expect(t.blobs.has(first.transcriptKey)).toBe(true);
    // The upload is gone now: the retry goes on from the stored transcript to the same extraction.
    const retry = await extractMeeting(REF, t.deps);
    expect(retry.extractionKey).toBe(first.extractionKey);
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

  it('fails a transcript past TRANSCRIPT_MAX_CHARS before calling the extractor, saying the limit', async () => {
    const t = pipelineDeps(pipelineMeeting(), { upload: WEBVTT });
    let called = false;
    t.deps.extractor = async () => {
      called = true;
      throw new Error('not reached');
    };
    t.deps.settings = { ...t.deps.settings, transcriptMaxChars: 20 };
    const error = await extractMeeting(REF, t.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TranscriptTooLongError);
    expect((error as Error).name).toBe('TranscriptTooLongError');
    expect((error as Error).message).toMatch(/the limit is 20 /);
    expect(called).toBe(false);
    // Refused for its length, yet not left behind in plain text.
    expect(t.removedUploads).toEqual(['uploads/firm-a/2026/01/m-1.vtt']);
  });

  it('gives the extractor a session: saved progress, earlier spend, and each call recorded on the meeting and as a metric', async () => {
    const t = pipelineDeps(pipelineMeeting(), { upload: WEBVTT });
    const call: LlmCall = {
      at: '2026-01-20T15:00:00.000Z',
      purpose: 'extraction_part',
      part: '1/2',
      model: 'claude-sonnet-5-5',
      stopReason: 'end_turn',
      maxTokens: 8000,
      inputTokens: 3000,
      cacheWriteTokens: 0,
      cacheReadTokens: 2000,
      outputTokens: 1000,
      costUsd: 0.0164,
    };
    const seen: { spent: number; progress: unknown }[] = [];
    t.deps.extractor = async (transcript, context, session) => {
      if (!session) throw new Error('no session');
      seen.push({ spent: session.tokensSpent, progress: await session.loadProgress() });
      await session.saveProgress({ parts: 'saved' });
      await session.recordCall(call);
      return offlineExtractor(transcript, context);
    };
    await extractMeeting(REF, t.deps);
    expect(t.stored().llmUsage).toEqual({ calls: [call], tokens: 6000, costUsd: 0.0164 });
    expect(t.llmCalls).toEqual([call]);
    expect(JSON.parse(t.blobs.get('tenants/firm-a/meetings/m-1/extraction-progress.json') ?? '')).toEqual({
      parts: 'saved',
    });
    // A retry sees what the first attempt saved and spent.
    await extractMeeting(REF, t.deps);
    expect(seen).toEqual([
      { spent: 0, progress: undefined },
      { spent: 6000, progress: { parts: 'saved' } },
    ]);
    expect(t.stored().llmUsage?.calls).toHaveLength(2);
  });

  it('keeps the usage of calls made before the extractor failed', async () => {
    const t = pipelineDeps(pipelineMeeting(), { upload: WEBVTT });
    t.deps.extractor = async (_transcript, _context, session) => {
      await session?.recordCall({
        at: '2026-01-20T15:00:00.000Z',
        purpose: 'extraction',
        model: 'claude-sonnet-5-5',
        stopReason: 'refusal',
        maxTokens: 8000,
        inputTokens: 3000,
        cacheWriteTokens: 0,
        cacheReadTokens: 0,
        outputTokens: 10,
        costUsd: 0.0061,
      });
      throw new Error('refused');
    };
    await expect(extractMeeting(REF, t.deps)).rejects.toThrow('refused');
    expect(t.stored().llmUsage).toMatchObject({ tokens: 3010, costUsd: 0.0061 });
  });

  it('keeps the offline result, labelled, with the reason, when the model declines and the firm allows it', async () => {
    const refusing = async () => {
      throw new ModelRefusalError('The model declined to produce the extraction (stop_reason refusal).');
    };
    const strict = pipelineDeps(pipelineMeeting(), { upload: WEBVTT });
    strict.deps.extractor = refusing;
    await expect(extractMeeting(REF, strict.deps)).rejects.toBeInstanceOf(ModelRefusalError);

    const lenient = pipelineDeps(pipelineMeeting(), { upload: WEBVTT });
    lenient.deps.extractor = refusing;
    lenient.firm.settings = {
      tenantId: 'firm-a',
      followUpDisclaimer: 'Not advice.',
      archiveIncludesTranscript: false,
      offlineOnRefusal: true,
      updatedBy: 'admin-1',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const summary = await extractMeeting(REF, lenient.deps);
    expect(summary.extractor).toBe('offline');
    expect(summary.fallbackReason).toMatch(/declined.*offline extractor's result is kept/);
    await saveExtraction({ ...REF, extraction: summary }, lenient.deps);
    expect(lenient.stored().extractionFallbackReason).toBe(summary.fallbackReason);
  });

  it('does not fall back on other failures, even when the firm allows it for refusals', async () => {
    const t = pipelineDeps(pipelineMeeting(), { upload: WEBVTT });
    t.deps.extractor = async () => {
      throw new ModelSpendLimitError('The Anthropic spend limit is reached.');
    };
    t.firm.settings = {
      tenantId: 'firm-a',
      followUpDisclaimer: 'Not advice.',
      archiveIncludesTranscript: false,
      offlineOnRefusal: true,
      updatedBy: 'admin-1',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    await expect(extractMeeting(REF, t.deps)).rejects.toBeInstanceOf(ModelSpendLimitError);
  });
});
