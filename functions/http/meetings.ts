import { vetUrl } from '../adapters/http/safe-fetch';
import { edgeDeps } from '../composition/edge-runtime';
import { meetingsRuntime } from '../composition/meetings-runtime';
import { createMeetingFromUrl, type RecordingUrlVetter } from '../core/meetings/create-meeting-from-url';
import { currentFollowUpEmail } from '../core/meetings/follow-up-email';
import { listMeetings } from '../core/meetings/list-meetings';
import { meetingDetails } from '../core/meetings/meeting-details';
import { meetingTranscript } from '../core/meetings/meeting-transcript';
import type { MeetingDepsWithoutWriter } from '../core/meetings/ports';
import { recordConsent } from '../core/meetings/record-consent';
import { requestUpload } from '../core/meetings/request-upload';
import { reviewComplianceFlag } from '../core/meetings/review-compliance-flag';
import { updateActionItem } from '../core/meetings/update-action-item';
import { UrlRefusedError, ValidationError } from '../platform/errors';
import { createHttpHandler, type RouteImplementations } from '../platform/http/http-handler';
import { meetingsRoutes } from './routes/meetings-routes';
import { followUpEmailView } from './views/follow-up-email-view';
import { meetingView } from './views/meeting-view';

/** Meetings: upload tickets, lists, one meeting, consent, action items and flag reviews. Exported for tests, which pass their own deps. */
export function meetingsImplementations(
  deps: MeetingDepsWithoutWriter & { recordingUrls: RecordingUrlVetter },
): RouteImplementations<typeof meetingsRoutes> {
  return {
    requestMeetingUpload: async ({ principal, body, sourceIp }) => {
      const ticket = await requestUpload(
        {
          actor: principal,
          ip: sourceIp,
          fileName: body.file_name,
          contentType: body.content_type,
          sizeBytes: body.size_bytes,
          title: body.title,
          meetingDate: body.meeting_date,
          clientNames: body.client_names,
          ...(body.owner_id ? { ownerUserId: body.owner_id } : {}),
        },
        deps,
      );
      return {
        body: {
          meeting: meetingView(ticket.meeting),
          upload: {
            url: ticket.upload.url,
            method: 'PUT',
            headers: ticket.upload.headers,
            expires_at: ticket.upload.expiresAt,
          },
        },
      };
    },
    createMeetingFromUrl: async ({ principal, body, sourceIp }) => {
      try {
        const meeting = await createMeetingFromUrl(
          {
            actor: principal,
            ip: sourceIp,
            recordingUrl: body.recording_url,
            title: body.title,
            meetingDate: body.meeting_date,
            clientNames: body.client_names,
            ...(body.owner_id ? { ownerUserId: body.owner_id } : {}),
          },
          deps,
        );
        return { body: meetingView(meeting) };
      } catch (error) {
        // The guard's message says which rule refused the URL (never the address); name the field it came from.
        if (error instanceof UrlRefusedError) {
          throw new ValidationError(
            'The recording URL was refused.',
            [{ path: 'body.recording_url', message: error.message }],
            error,
          );
        }
        throw error;
      }
    },
    listMeetings: async ({ principal, query }) => {
      const page = await listMeetings(
        {
          actor: principal,
          limit: query.limit,
          ...(query.cursor ? { cursor: query.cursor } : {}),
          ...(query.status ? { status: query.status } : {}),
          ...(query.client ? { client: query.client } : {}),
          ...(query.from ? { from: query.from } : {}),
          ...(query.to ? { to: query.to } : {}),
          ...(query.owner_id ? { ownerUserId: query.owner_id } : {}),
        },
        deps,
      );
      return {
        body: {
          items: page.items.map((meeting) => meetingView(meeting)),
          ...(page.cursor ? { cursor: page.cursor } : {}),
        },
      };
    },
    getMeeting: async ({ principal, params }) => {
      const details = await meetingDetails(principal, params.meetingId, deps);
      return { body: meetingView(details.meeting, details.extraction, details.crm) };
    },
    getMeetingTranscript: async ({ principal, params, sourceIp }) => {
      const transcript = await meetingTranscript(
        { actor: principal, ip: sourceIp, meetingId: params.meetingId },
        deps,
      );
      return {
        body: {
          source: transcript.source,
          duration_ms: transcript.durationMs,
          speakers: transcript.speakers,
          utterances: transcript.utterances.map((u) => ({
            index: u.index,
            speaker: u.speaker,
            ...(u.role ? { role: u.role } : {}),
            start_ms: u.startMs,
            end_ms: u.endMs,
            text: u.text,
          })),
        },
      };
    },
    getFollowUpEmail: async ({ principal, params }) => ({
      body: followUpEmailView(await currentFollowUpEmail(principal, params.meetingId, deps)),
    }),
    updateActionItem: async ({ principal, params, body, sourceIp }) => ({
      body: await updateActionItem(
        {
          actor: principal,
          ip: sourceIp,
          meetingId: params.meetingId,
          itemId: params.itemId,
          ...(body.done !== undefined ? { done: body.done } : {}),
          ...(body.assignee !== undefined ? { assignee: body.assignee } : {}),
          ...(body.due_date !== undefined ? { dueDate: body.due_date } : {}),
        },
        deps,
      ),
    }),
    reviewComplianceFlag: async ({ principal, params, body, sourceIp }) => ({
      body: await reviewComplianceFlag(
        {
          actor: principal,
          ip: sourceIp,
          meetingId: params.meetingId,
          flagId: params.flagId,
          decision: body.decision === 'dismiss' ? 'dismissed' : 'escalated',
          note: body.note,
        },
        deps,
      ),
    }),
    recordConsent: async ({ principal, params, body, sourceIp }) => ({
      body: meetingView(
        await recordConsent(
          {
            actor: principal,
            ip: sourceIp,
            meetingId: params.meetingId,
            method: body.method,
            participantStates: body.participant_states,
          },
          deps,
        ),
      ),
    }),
  };
}

export const handler = createHttpHandler(
  'meetings',
  meetingsRoutes,
  meetingsImplementations({
    ...meetingsRuntime(),
    recordingUrls: { vet: async (url) => void (await vetUrl(url)) },
  }),
  edgeDeps(),
);
