import { ConflictError, NotFoundError } from '../../platform/errors';
import type { Meeting } from '../meetings/meeting';
import { UPLOAD_FORMATS } from '../meetings/upload-formats';
import { PlatformFetchError } from './errors';
import type { IntegrationCredentials } from './integration-credentials';
import type { PlatformArtifactDescriptor } from './platform-artifact';
import {
  hasPlaceholderTitle,
  type PlatformMeetingDetails,
  titleAndDateFrom,
} from './platform-meeting-details';
import {
  type FetchArtifactDeps,
  PLATFORM_ACTOR_IP,
  type PlatformArtifactFetcher,
  type PlatformIntakeInput,
} from './ports';

const MAX_ATTEMPTS = 3;

/**
 * What became of the platform's own title and date: `applied`, `kept` (the meeting was renamed meanwhile), or
 * `unavailable` with the error's name and HTTP status, never its text. Absent when the platform was not asked.
 */
export type MeetingDetailsOutcome =
  | { outcome: 'applied' | 'kept' }
  | { outcome: 'unavailable'; error: string; status?: number };

export type FetchArtifactOutcome =
  | {
      outcome: 'stored';
      kind: 'audio' | 'transcript';
      sizeBytes: number;
      meetingDetails?: MeetingDetailsOutcome;
    }
  | { outcome: 'skipped'; reason: string };

/**
 * The intake task: downloads the meeting's transcript or recording with the firm's credentials and stores it
 * under the meeting's upload key, where the upload trigger attaches it exactly as it attaches a browser upload
 * (and, with consent already recorded, starts the pipeline). First, once, it writes the meeting's
 * `meeting.created` audit entry (kept off the webhook's answer path). The meeting learns its file's key and size first,
 * so the trigger finds it expecting that object. A retry after the file is stored changes nothing.
 * A meeting still under its platform's placeholder title (Teams) takes the platform's title and date in that same
 * write, when the platform can say them; when it cannot, the file goes ahead under the placeholder.
 * @throws PlatformArtifactNotReadyError while the platform has no file yet (the state machine retries it).
 */
export async function fetchPlatformArtifact(
  input: PlatformIntakeInput,
  deps: FetchArtifactDeps,
): Promise<FetchArtifactOutcome> {
  const first = await deps.meetings.get(input.tenantId, input.meetingId);
  if (!first) throw new NotFoundError(`Meeting ${input.meetingId} of tenant ${input.tenantId} not found.`);
  if (first.status !== 'pending_upload' || first.source.type !== 'platform') {
    return { outcome: 'skipped', reason: `meeting is ${first.status}` };
  }
  const intake = await deps.intakes.get(input.tenantId, input.meetingId);
  if (!intake) {
    if (first.source.artifact) return { outcome: 'skipped', reason: 'file already stored' };
    throw new PlatformFetchError(
      'The download details of this meeting expired before its file could be fetched.',
    );
  }
  if (intake.auditedAt === undefined) {
    // Only intakes admitted before admissions recorded `meeting.created` themselves. A retry between these two
    // writes records the entry twice: a duplicate line, never a missing one.
    await deps.audit.append(input.tenantId, {
      action: 'meeting.created',
      outcome: 'success',
      target: { type: 'meeting', id: first.meetingId },
      ip: PLATFORM_ACTOR_IP,
      details: { source: 'platform', platform: intake.platform, owner: first.ownerUserId },
    });
    await deps.intakes.put({ ...intake, auditedAt: new Date(deps.clock.now()).toISOString() });
  }
  const integration = await deps.integrations.get(input.tenantId, intake.platform);
  if (!integration) {
    throw new PlatformFetchError(
      `The firm's ${intake.platform} integration was removed before this meeting's file could be fetched.`,
    );
  }
  const fetcher = fetcherFor(deps, intake.descriptor, integration.credentials);
  // The platforms match (checked by fetcherFor), which the union types cannot express.
  const artifact = await fetcher.fetch(intake.descriptor as never, integration.credentials as never);
  const format = UPLOAD_FORMATS[artifact.extension];
  if (artifact.bytes.byteLength === 0) {
    throw new PlatformFetchError(`The ${intake.platform} file of this meeting is empty.`);
  }
  // Asked once the file is here, so the file's not-ready retries repeat no call.
  const details = hasPlaceholderTitle(first)
    ? await readMeetingDetails(fetcher, intake.descriptor, integration.credentials)
    : undefined;
  let titled = false;

  const objectKey = uploadKey(first, artifact.extension);
  for (let attempt = 1; ; attempt += 1) {
    const meeting = attempt === 1 ? first : await deps.meetings.get(input.tenantId, input.meetingId);
    if (meeting?.status !== 'pending_upload' || meeting.source.type !== 'platform') {
      return { outcome: 'skipped', reason: `meeting is ${meeting?.status ?? 'gone'}` };
    }
    const now = new Date(deps.clock.now()).toISOString();
    // Checked again on every read: the adviser may rename the meeting between two attempts.
    const titleAndDate = details?.outcome === 'read' ? titleAndDateFrom(meeting, details.details) : undefined;
    titled = titleAndDate !== undefined;
    const next: Meeting = {
      ...meeting,
      ...titleAndDate,
      source: {
        ...meeting.source,
        kind: artifact.kind,
        artifact: {
          extension: artifact.extension,
          contentType: format.contentType,
          objectKey,
          sizeBytes: artifact.bytes.byteLength,
        },
      },
      updatedAt: now,
    };
    try {
      // Consent may be recorded meanwhile: keep whatever else changed, re-read and apply again.
      await deps.meetings.replace(next, { status: ['pending_upload'], updatedAt: meeting.updatedAt });
      break;
    } catch (error) {
      if (error instanceof ConflictError && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
  }
  await deps.artifacts.put(objectKey, artifact.bytes, format.contentType);
  // The download token is no longer needed; the TTL would remove it anyway.
  await deps.intakes.delete(input.tenantId, input.meetingId);
  const stored = { outcome: 'stored', kind: artifact.kind, sizeBytes: artifact.bytes.byteLength } as const;
  if (details === undefined) return stored;
  if (details.outcome === 'unavailable') return { ...stored, meetingDetails: details };
  return { ...stored, meetingDetails: { outcome: titled ? 'applied' : 'kept' } };
}

type DetailsRead =
  | { outcome: 'read'; details: PlatformMeetingDetails }
  | Extract<MeetingDetailsOutcome, { outcome: 'unavailable' }>;

/** The platform's title and start if it has a way to say them; any failure is an outcome, never a throw. */
async function readMeetingDetails(
  fetcher: PlatformArtifactFetcher,
  descriptor: PlatformArtifactDescriptor,
  credentials: IntegrationCredentials,
): Promise<DetailsRead | undefined> {
  if (fetcher.meetingDetails === undefined) return undefined;
  try {
    return {
      outcome: 'read',
      details: await fetcher.meetingDetails(descriptor as never, credentials as never),
    };
  } catch (error) {
    // The name and status say what went wrong (403: the permission is missing); a message might quote the meeting.
    return {
      outcome: 'unavailable',
      error: error instanceof Error ? error.name : 'unknown',
      ...(error instanceof PlatformFetchError && error.status !== undefined ? { status: error.status } : {}),
    };
  }
}

function fetcherFor(
  deps: FetchArtifactDeps,
  descriptor: PlatformArtifactDescriptor,
  credentials: IntegrationCredentials,
): PlatformArtifactFetcher {
  if (descriptor.platform !== credentials.platform) {
    throw new PlatformFetchError(
      `A ${descriptor.platform} file cannot be fetched with ${credentials.platform} credentials.`,
    );
  }
  const fetcher = deps.fetchers[descriptor.platform] as PlatformArtifactFetcher | undefined;
  if (!fetcher) {
    throw new PlatformFetchError(`This deployment cannot fetch ${descriptor.platform} files yet.`);
  }
  return fetcher;
}

/** `uploads/{tenant}/{yyyy}/{mm}/{meetingId}.{ext}`, dated by the meeting's creation like a presigned upload. */
export function uploadKey(meeting: Pick<Meeting, 'tenantId' | 'meetingId' | 'createdAt'>, extension: string) {
  const created = meeting.createdAt;
  return `uploads/${meeting.tenantId}/${created.slice(0, 4)}/${created.slice(5, 7)}/${meeting.meetingId}.${extension}`;
}
