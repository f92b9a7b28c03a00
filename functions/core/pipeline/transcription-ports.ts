import type { Clock } from '../../contracts/clock';
import type { MeetingRef } from '../../contracts/pipeline-task-contracts';
import type { MeetingStore } from '../meetings/ports';
import type { Transcript } from '../transcript/transcript';

/** A speech-to-text integration's name (`functions/integrations/transcription-registry.ts`). */
export type TranscriptionProviderName = string;

/**
 * Where the provider calls back, and the per-meeting value that proves a call is about this meeting, which the
 * provider sends back its own way (a header such as `WEBHOOK_AUTH_HEADER`, or a field of the body).
 */
export interface TranscriptionWebhook {
  url: string;
  authValue: string;
}

/** What the provider says about a job. `raw` is its transcript document, parsed by the matching parser. */
export type ProviderJobState =
  | { status: 'queued' | 'processing' }
  | { status: 'completed'; raw: unknown }
  | { status: 'error'; reason: string };

/** A speech-to-text provider (one per integration; the configuration picks one). */
export interface TranscriptionProvider {
  readonly name: TranscriptionProviderName;
  /** The provider's own transcript document → the normalised transcript (`MalformedTranscriptError` if not). */
  parse(raw: unknown): Transcript;
  submit(input: { audioUrl: string; webhook?: TranscriptionWebhook }): Promise<{ jobId: string }>;
  job(jobId: string): Promise<ProviderJobState>;
}

/** Presigned GETs of uploaded recordings, for the provider to download. */
export interface RecordingLinks {
  presignGet(objectKey: string, expiresInSeconds: number): Promise<string>;
}

/**
 * The meeting's encrypted pipeline files (`tenants/{tenantId}/meetings/{meetingId}/{name}` in the uploads
 * bucket); structurally the pipeline's `MeetingBlobStore`, so its adapter serves here too.
 */
export interface TranscriptBlobs {
  putJson(ref: MeetingRef, name: string, value: unknown): Promise<string>;
}

/** The callback half of a `.waitForTaskToken` task (Step Functions on AWS, the local runner's registry). */
export interface TaskCallbacks {
  sendTaskSuccess(taskToken: string, output: unknown): Promise<void>;
  sendTaskFailure(taskToken: string, error?: string, cause?: string): Promise<void>;
}

/** The provider, or why there is none (its message names the missing setting). */
export type ProviderChoice = { provider: TranscriptionProvider } | { unavailable: Error };

export interface TranscriptionSettings {
  /** e.g. `https://api.example.com`; without one jobs are submitted without a webhook (the poll collects them). */
  webhookBaseUrl: string | undefined;
  /**
   * Signs each meeting's webhook header; always set when a provider is. Fetched when first needed (on AWS it
   * lives in the vendor keys secret), so a function that never signs or checks a callback never reads it.
   */
  webhookSecret: (() => Promise<string>) | undefined;
  /** How long the provider's download link of an uploaded recording stays valid. */
  recordingLinkTtlSeconds: number;
}

export interface TranscriptionDeps {
  meetings: MeetingStore;
  provider: () => ProviderChoice;
  recordings: RecordingLinks;
  blobs: TranscriptBlobs;
  clock: Clock;
  settings: TranscriptionSettings;
}

export interface TranscriptionCallbackDeps extends TranscriptionDeps {
  callbacks: TaskCallbacks;
}

/** Where the normalised transcript lives; Extract reads the meeting's `transcriptKey`, which points here. */
export const TRANSCRIPT_FILE_NAME = 'transcript.json';

/** The header a provider that echoes a named header sends the per-meeting value back in. */
export const WEBHOOK_AUTH_HEADER = 'x-smartad-webhook-secret';
