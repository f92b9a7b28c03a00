import * as z from 'zod';
import { ValidationError } from '../../platform/errors';
import { type PubSubPush, pubSubMessageId } from './pubsub-push';

export const MEET_TRANSCRIPT_GENERATED = 'google.workspace.meet.transcript.v2.fileGenerated';
export const MEET_RECORDING_GENERATED = 'google.workspace.meet.recording.v2.fileGenerated';

// `conferenceRecords/{id}/transcripts/{id}`: the only names ever put into a Meet REST path.
const ARTIFACT_ID = '[A-Za-z0-9_-]{1,200}';
const TRANSCRIPT_NAME = new RegExp(`^conferenceRecords/${ARTIFACT_ID}/transcripts/${ARTIFACT_ID}$`);
const RECORDING_NAME = new RegExp(`^conferenceRecords/${ARTIFACT_ID}/recordings/${ARTIFACT_ID}$`);

const TranscriptPayloadSchema = z.object({
  transcript: z.looseObject({
    name: z.string().regex(TRANSCRIPT_NAME, 'must be conferenceRecords/*/transcripts/*'),
  }),
});
const RecordingPayloadSchema = z.object({
  recording: z.looseObject({
    name: z.string().regex(RECORDING_NAME, 'must be conferenceRecords/*/recordings/*'),
  }),
});

/** What a Meet push means for us: an artifact to fetch, or an event type we do not handle. */
export type MeetEvent =
  | { kind: 'transcript' | 'recording'; eventId: string; name: string; eventType: string }
  | { kind: 'ignored'; eventId: string; eventType: string };

/**
 * Reads a Workspace Events message: the CloudEvents type from `ce-type`, the dedup id from `ce-id` (the event's
 * own id; Pub/Sub's `messageId` when absent) and, for the two `fileGenerated` types, the artifact's resource
 * name from the base64 JSON `data`. Other types are `ignored` (answered 200 so Pub/Sub stops redelivering).
 * @throws ValidationError naming the field, for a missing type or a handled type whose data is not the payload.
 */
export function readMeetEvent(push: PubSubPush): MeetEvent {
  const attributes = push.message.attributes ?? {};
  const eventType = attributes['ce-type'];
  if (eventType === undefined || eventType === '') {
    throw new ValidationError('The Pub/Sub message has no CloudEvents type.', [
      { path: 'body.message.attributes.ce-type', message: 'is required' },
    ]);
  }
  const eventId = `meet:${attributes['ce-id'] ?? pubSubMessageId(push)}`;
  if (eventType !== MEET_TRANSCRIPT_GENERATED && eventType !== MEET_RECORDING_GENERATED) {
    return { kind: 'ignored', eventId, eventType };
  }
  const data = decodeData(push.message.data);
  if (eventType === MEET_TRANSCRIPT_GENERATED) {
    const parsed = TranscriptPayloadSchema.safeParse(data);
    if (!parsed.success) throw badData('transcript.name', parsed.error.issues[0]?.message);
    return { kind: 'transcript', eventId, eventType, name: parsed.data.transcript.name };
  }
  const parsed = RecordingPayloadSchema.safeParse(data);
  if (!parsed.success) throw badData('recording.name', parsed.error.issues[0]?.message);
  return { kind: 'recording', eventId, eventType, name: parsed.data.recording.name };
}

function decodeData(data: string | undefined): unknown {
  if (data === undefined || data === '') throw badData('', 'is required');
  try {
    return JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch (cause) {
    throw new ValidationError(
      'The Pub/Sub message data is not base64 JSON.',
      [{ path: 'body.message.data', message: 'must be base64-encoded JSON' }],
      cause,
    );
  }
}

function badData(field: string, message = 'is invalid'): ValidationError {
  const path = field === '' ? 'body.message.data' : `body.message.data.${field}`;
  return new ValidationError('The Meet event payload is not what its type promises.', [{ path, message }]);
}
