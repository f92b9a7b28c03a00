import type { Principal } from '../../contracts/principal';
import { ConflictError } from '../../platform/errors';
import { ALL_PARTY_CONSENT_STATES, type Consent, type Meeting } from './meeting';
import { writableMeeting } from './meeting-access';
import type { MeetingDepsWithoutWriter } from './ports';

export interface RecordConsentInput {
  actor: Principal;
  ip: string;
  meetingId: string;
  method: Consent['method'];
  participantStates: string[];
}

/**
 * Records who granted recording consent, when and how, flags the participants' all-party-consent states, and —
 * if the meeting has its recording or transcript — starts the pipeline. A meeting still waiting for its upload
 * keeps waiting; the upload trigger starts it. Consent is recorded once: a second grant is a conflict.
 */
export async function recordConsent(
  input: RecordConsentInput,
  deps: MeetingDepsWithoutWriter,
): Promise<Meeting> {
  const meeting = await writableMeeting(input.actor, input.meetingId, deps);
  if (meeting.consent) {
    // Consent recorded but the start lost (the process died between the two): a retried grant starts the
    // pipeline, idempotently, and still answers that consent is already on record.
    if (meeting.status === 'pending') await startPipeline(meeting, deps);
    throw new ConflictError('Consent for this meeting is already recorded.');
  }
  const states = [...new Set(input.participantStates)];
  const now = new Date(deps.clock.now()).toISOString();
  const consent: Consent = {
    grantedBy: input.actor.userId,
    grantedAt: now,
    method: input.method,
    participantStates: states,
    allPartyConsentStates: states.filter((s) => (ALL_PARTY_CONSENT_STATES as readonly string[]).includes(s)),
  };
  const ready = meeting.status === 'awaiting_consent';
  const next: Meeting = { ...meeting, consent, status: ready ? 'pending' : meeting.status, updatedAt: now };
  await deps.meetings.replace(
    next,
    { status: [meeting.status], updatedAt: meeting.updatedAt },
    {
      action: 'meeting.consent_recorded',
      outcome: 'success',
      actor: { userId: input.actor.userId, role: input.actor.role },
      target: { type: 'meeting', id: meeting.meetingId },
      ip: input.ip,
      details: { method: input.method, all_party_states: consent.allPartyConsentStates.join(',') },
    },
  );
  if (ready) await startPipeline(meeting, deps);
  return next;
}

/** Starts the meeting's pipeline; a repeated start of the same meeting finds the first execution. */
async function startPipeline(
  meeting: Meeting,
  deps: Pick<MeetingDepsWithoutWriter, 'pipeline'>,
): Promise<void> {
  await deps.pipeline.start({
    tenantId: meeting.tenantId,
    meetingId: meeting.meetingId,
    consentGiven: true,
    sourceKind: meeting.source.kind,
  });
}
