import { type Meeting, MeetingSchema } from '../../functions/core/meetings/meeting';
import type { MeetingExpectation, MeetingStore } from '../../functions/core/meetings/ports';
import { ConflictError } from '../../functions/platform/errors';

/** The tenant every transcription fixture belongs to. */
export const TENANT = 'tenant-1';

/** A consented, uploaded audio meeting waiting for transcription (`pending`). */
export function meetingFixture(meetingId: string, overrides: Partial<Meeting> = {}): Meeting {
  return MeetingSchema.parse({
    meetingId,
    tenantId: TENANT,
    ownerUserId: 'advisor-1',
    createdBy: 'advisor-1',
    title: 'Annual review',
    meetingDate: '2026-11-20',
    clientNames: ['Pat Client'],
    status: 'pending',
    source: {
      type: 'upload',
      kind: 'audio',
      extension: 'mp3',
      contentType: 'audio/mpeg',
      objectKey: `uploads/${TENANT}/${meetingId}/recording.mp3`,
      sizeBytes: 1000,
      uploadedAt: '2026-11-23T11:00:00.000Z',
    },
    consent: {
      grantedBy: 'advisor-1',
      grantedAt: '2026-11-23T11:00:00.000Z',
      method: 'written',
      participantStates: ['OH'],
      allPartyConsentStates: [],
    },
    createdAt: '2026-11-23T10:00:00.000Z',
    updatedAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  });
}

/** Meetings in memory, round-tripped through the schema as the table store does (unknown fields are lost). */
export class MemoryMeetings implements MeetingStore {
  readonly items = new Map<string, Meeting>();
  writes = 0;
  async create(meeting: Meeting) {
    this.items.set(`${meeting.tenantId}/${meeting.meetingId}`, MeetingSchema.parse(meeting));
  }
  async get(tenantId: string, meetingId: string) {
    return this.items.get(`${tenantId}/${meetingId}`);
  }
  async list(): Promise<never> {
    throw new Error('not used');
  }
  async replace(next: Meeting, expected: MeetingExpectation) {
    const current = this.items.get(`${next.tenantId}/${next.meetingId}`);
    if (!current || !expected.status.includes(current.status) || current.updatedAt !== expected.updatedAt)
      throw new ConflictError('status changed');
    this.writes++;
    this.items.set(`${next.tenantId}/${next.meetingId}`, MeetingSchema.parse(next));
  }
}
