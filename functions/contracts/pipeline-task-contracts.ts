import * as z from 'zod';
import type { PipelineTaskState } from './pipeline-tasks';

/**
 * What each Task state of the meeting pipeline sends its function (`Payload`) and expects back, as the ASL file
 * builds and reads them. Task handlers parse their payload with these schemas; the unit tests' fake handlers do
 * too, so a change to the file's `Parameters` that breaks a contract fails there first.
 *
 * Payloads and results hold ids, statuses and pointers only — never client content — because the state
 * machine logs execution data and a state's data is capped at 256 KB.
 */

const IdSchema = z.string().min(1);

/** Every payload starts with the meeting it is about; the tenant comes from the execution input, never a user. */
export const MeetingRefSchema = z.object({ tenantId: IdSchema, meetingId: IdSchema });
export type MeetingRef = z.infer<typeof MeetingRefSchema>;

/** The execution input (`StartExecution`): what the upload trigger and the consent endpoint send. */
export const PipelineInputSchema = MeetingRefSchema.extend({
  consentGiven: z.boolean(),
  sourceKind: z.enum(['transcript', 'audio']),
});
export type PipelineInput = z.infer<typeof PipelineInputSchema>;

/**
 * What a `Catch` puts in `$.error`. For a function error, `Error` is the thrown error's `name` and `Cause` the
 * Lambda error JSON (`{"errorType","errorMessage",…}`); for a callback failure, the `error` and `cause` given
 * to `SendTaskFailure`; for the pipeline's own failures (`UnsupportedSourceKind`, `TranscriptionNotCompleted`)
 * a sentence.
 */
export const TaskErrorSchema = z.object({ Error: z.string(), Cause: z.string().nullish() });
export type TaskError = z.infer<typeof TaskErrorSchema>;

/** An active CRM connection of the tenant, as `ListCrmConnections` returns it and `SyncCrm` receives it. */
export const CrmConnectionRefSchema = z.object({ connectionId: IdSchema, provider: z.string().min(1) });
export type CrmConnectionRef = z.infer<typeof CrmConnectionRefSchema>;

export const TranscribePayloadSchema = MeetingRefSchema.extend({
  /** Store it with the provider job (e.g. in the webhook URL's state); the webhook passes it to SendTaskSuccess. */
  taskToken: z.string().min(1),
});

export const PollTranscriptionPayloadSchema = MeetingRefSchema.extend({
  /** 0 for the first poll after the callback timed out. */
  attempt: z.number().int().nonnegative(),
});
/**
 * `completed` only once the transcript is stored exactly as the webhook would have stored it; a job the
 * provider reports failed is thrown (`TranscriptionFailedError` with the provider's reason), not returned. That
 * error, `TranscriptionRejectedError`, `TranscriptionUnavailableError` and `MalformedTranscriptError` are not
 * retried by the state machine; `TranscriptionProviderUnavailableError` and anything else are.
 */
export const PollTranscriptionResultSchema = z.object({ status: z.enum(['completed', 'processing']) });

/**
 * Extraction writes its result where `Save` finds it (encrypted, under the tenant's prefix) and returns the
 * pointer; the extraction itself never travels through the state machine.
 */
export const ExtractResultSchema = z.looseObject({ extractionKey: z.string().min(1) });
export const SavePayloadSchema = MeetingRefSchema.extend({ extraction: ExtractResultSchema });

export const ArchiveFailedPayloadSchema = MeetingRefSchema.extend({ error: TaskErrorSchema });

export const ListCrmConnectionsResultSchema = z.object({ connections: z.array(CrmConnectionRefSchema) });
export const SyncCrmPayloadSchema = MeetingRefSchema.extend({ connection: CrmConnectionRefSchema });
/**
 * How the connection's sync ended, as the state machine keeps it (`ResultSelector` takes `status` only): the
 * details (remote ids, candidates, why) are on the meeting's sync status item, not in execution data. `failed`
 * here is a failure retrying cannot fix (credentials refused, request rejected); others are thrown and retried.
 */
export const SyncCrmResultSchema = z.object({ status: z.enum(['synced', 'skipped', 'failed']) });

/**
 * One Map iteration's outcome: what `SyncCrm` returned, or what `CrmBranchFailed` recorded after the retries.
 * A `failed` returned by `SyncCrm` has no error name (it is on the sync status item).
 */
export const CrmOutcomeSchema = z.looseObject({
  connection: CrmConnectionRefSchema,
  outcome: z.discriminatedUnion('status', [
    z.object({ status: z.enum(['synced', 'skipped']) }),
    z.object({ status: z.literal('failed'), error: z.string().optional(), cause: z.string().nullish() }),
  ]),
});
export const MarkCompletedPayloadSchema = MeetingRefSchema.extend({
  archive: z.enum(['archived', 'failed']),
  crm: z.array(CrmOutcomeSchema),
});

export const MarkFailedPayloadSchema = MeetingRefSchema.extend({ error: TaskErrorSchema });

/** A result the state machine discards (`ResultPath: null` or a fixed `ResultSelector`): return what you like. */
const DiscardedSchema = z.unknown();

/** Payload and result of every Task state. `Transcribe`'s result is the callback's output, not the function's. */
export const PIPELINE_TASK_CONTRACTS = {
  Transcribe: { payload: TranscribePayloadSchema, result: DiscardedSchema },
  PollTranscription: { payload: PollTranscriptionPayloadSchema, result: PollTranscriptionResultSchema },
  Extract: { payload: MeetingRefSchema, result: ExtractResultSchema },
  Save: { payload: SavePayloadSchema, result: DiscardedSchema },
  Archive: { payload: MeetingRefSchema, result: DiscardedSchema },
  ArchiveFailed: { payload: ArchiveFailedPayloadSchema, result: DiscardedSchema },
  ListCrmConnections: { payload: MeetingRefSchema, result: ListCrmConnectionsResultSchema },
  SyncCrm: { payload: SyncCrmPayloadSchema, result: SyncCrmResultSchema },
  MarkCompleted: { payload: MarkCompletedPayloadSchema, result: DiscardedSchema },
  MarkFailed: { payload: MarkFailedPayloadSchema, result: DiscardedSchema },
} as const satisfies Record<PipelineTaskState, { payload: z.ZodType; result: z.ZodType }>;

export type TaskPayload<S extends PipelineTaskState> = z.infer<
  (typeof PIPELINE_TASK_CONTRACTS)[S]['payload']
>;
export type TaskResult<S extends PipelineTaskState> = z.infer<(typeof PIPELINE_TASK_CONTRACTS)[S]['result']>;

// The meeting's failureReason allows 1000 characters.
const MAX_REASON_LENGTH = 1000;

/**
 * The sentence `MarkFailed` stores as the meeting's failure reason: a function error's `errorMessage`, else the
 * cause as given, else the error name.
 */
export function failureReasonOf(error: TaskError): string {
  const cause = error.Cause ?? '';
  let reason = cause.trim() === '' ? error.Error : cause;
  try {
    const parsed: unknown = JSON.parse(cause);
    if (typeof parsed === 'object' && parsed !== null && 'errorMessage' in parsed) {
      const message = (parsed as { errorMessage: unknown }).errorMessage;
      if (typeof message === 'string' && message.trim() !== '') reason = message;
    }
  } catch {
    // Not Lambda error JSON: the cause is already the sentence.
  }
  return reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason;
}
