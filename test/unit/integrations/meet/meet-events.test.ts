import { describe, expect, it } from 'vitest';
import { readMeetEvent } from '../../../../functions/integrations/meet/meet-event';
import { PubSubPushSchema } from '../../../../functions/integrations/meet/pubsub-push';
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
