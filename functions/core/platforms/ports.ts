import type { Clock } from '../../contracts/clock';
import type { Ids } from '../../contracts/ids';
import type { Platform } from '../../contracts/platform';
import type { Role } from '../../contracts/principal';
import type { AuditEntry, AuditLog } from '../audit/audit-entry';
import type { Meeting } from '../meetings/meeting';
import type { MeetingStore } from '../meetings/ports';
import type { CredentialsOf } from './integration-credentials';
import type { DescriptorOf, FetchedArtifact, PlatformArtifactDescriptor } from './platform-artifact';
import type { PlatformIntegration, PlatformRoute } from './platform-integration';
import type { PlatformMeetingDetails } from './platform-meeting-details';

/** Stands in for a caller's IP in audit entries a platform webhook caused. */
export const PLATFORM_ACTOR_IP = 'platform-webhook';

/**
 * A firm's platform integrations (`T#<tenant>#INTEGRATION` / `PLATFORM#<platform>`) and the global route items
 * that let a webhook find the firm (`G#PLATFORM_ROUTE#<platform>#<sha256(route key)>`).
 */
export interface IntegrationStore {
  get(tenantId: string, platform: Platform): Promise<PlatformIntegration | undefined>;
  /**
   * Writes the integration and claims `routes` for it in one transaction, releasing `releasedRoutes` (the
   * previous version's keys no longer used). `ConflictError` if a route belongs to another firm (a Zoom account
   * is connected to one firm only) or the integration changed since `expectedUpdatedAt` was read.
   */
  save(
    integration: PlatformIntegration,
    routes: readonly string[],
    releasedRoutes: readonly string[],
    expectedUpdatedAt: string | undefined,
    audit: AuditEntry,
  ): Promise<void>;
  /** Deletes the integration and its routes in one transaction; `NotFoundError` if there is none. */
  delete(tenantId: string, platform: Platform, routes: readonly string[], audit: AuditEntry): Promise<void>;
}

/**
 * Finds the firm of an inbound webhook by a route key (never a scan), and lets platform code add routes it
 * makes later (a Graph subscription). Keys are stored as SHA-256 digests; `find` compares the digest it read
 * back in constant time.
 */
export interface PlatformRouteStore {
  find(platform: Platform, routeKey: string): Promise<PlatformRoute | undefined>;
  /** Claims a route for a firm; `ConflictError` if another firm holds it. Idempotent for the same firm. */
  claim(route: PlatformRoute, routeKey: string): Promise<void>;
  /** Releases a route the firm holds; nothing happens if it holds none. */
  release(route: PlatformRoute, routeKey: string): Promise<void>;
}

/**
 * Platforms deliver at least once (Zoom retries for an hour and more, Graph for hours, Pub/Sub for days). A
 * meeting is admitted in one transaction: a claim per (firm, platform, event id) with a TTL past the platforms'
 * retry windows, a check that the advisor is still an active user with a role that may own meetings, the
 * meeting and its intake item. All of it happens or none of it: a claim never exists without its meeting, so a
 * redelivery finds either nothing (and admits) or the meeting the first delivery made.
 */
export interface PlatformMeetingAdmissions {
  admit(input: {
    meeting: Meeting;
    intake: PlatformIntake;
    eventId: string;
    /** Roles that may own the meeting; the owner must also be `active`. */
    ownerRoles: readonly Role[];
    /** Epoch seconds now: a claim past its expiry that the TTL has not deleted yet counts as gone. */
    nowSeconds: number;
    /** Epoch seconds: the table's TTL deletes the claim after it. */
    claimExpiresAt: number;
    /** `meeting.created`, recorded in the admission's transaction. */
    audit: AuditEntry;
  }): Promise<Admission>;
}

export type Admission =
  | { outcome: 'admitted' }
  /** The event was admitted before: its meeting (which an adviser may since have deleted). */
  | { outcome: 'duplicate'; meetingId: string }
  /** The owner is missing, deactivated or in a role that may not own meetings: nothing was written. */
  | { outcome: 'owner_ineligible' };

/** What the intake task needs after the webhook answered; encrypted at rest, deleted once the file is stored. */
export interface PlatformIntake {
  tenantId: string;
  meetingId: string;
  platform: Platform;
  descriptor: PlatformArtifactDescriptor;
  createdAt: string;
  /** Epoch seconds: the table's TTL removes a forgotten one (download tokens expire within a day anyway). */
  expiresAt: number;
  /** When the intake task wrote the meeting's `meeting.created` audit entry (once, before fetching). */
  auditedAt?: string;
}

export interface PlatformIntakeStore {
  put(intake: PlatformIntake): Promise<void>;
  get(tenantId: string, meetingId: string): Promise<PlatformIntake | undefined>;
  delete(tenantId: string, meetingId: string): Promise<void>;
}

/** The intake execution's input; the execution is named `intake-<meetingId>`, so a second start is a no-op. */
export interface PlatformIntakeInput {
  tenantId: string;
  meetingId: string;
  platform: Platform;
}

/** Starts `state-machines/platform-intake.asl.json` (Step Functions on AWS, the local interpreter on a laptop). */
export interface PlatformIntakeStarter {
  start(input: PlatformIntakeInput): Promise<void>;
}

/**
 * One platform's downloader: the transcript or recording a descriptor names, fetched with the firm's
 * credentials, through the SSRF guard for any URL a webhook supplied. Throws `PlatformArtifactNotReadyError`
 * while the platform has not produced the file yet (the state machine retries), `UrlRefusedError` or
 * `PlatformFetchError` for good.
 */
export interface PlatformArtifactFetcher<P extends Platform = Platform> {
  readonly platform: P;
  fetch(descriptor: DescriptorOf<P>, credentials: CredentialsOf<P>): Promise<FetchedArtifact>;
  /**
   * The meeting's own title and start, for a platform whose event named neither (one call, after the file is
   * fetched). Best effort: the intake task keeps the placeholder title when it throws, whatever the error.
   */
  meetingDetails?(
    descriptor: DescriptorOf<P>,
    credentials: CredentialsOf<P>,
  ): Promise<PlatformMeetingDetails>;
}

/** The fetchers a deployment has; a platform without one fails its meetings with a reason that says so. */
export type PlatformArtifactFetchers = { readonly [P in Platform]?: PlatformArtifactFetcher<P> };

/** Writes a fetched file into the uploads bucket, where the upload trigger attaches it to its meeting. */
export interface ArtifactWriter {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
}

/** What `intakePlatformMeeting` needs. */
export interface PlatformIntakeDeps {
  admissions: PlatformMeetingAdmissions;
  /** A redelivery's repair: the meeting as it stands, and a fresher intake item. */
  meetings: Pick<MeetingStore, 'get'>;
  intakes: Pick<PlatformIntakeStore, 'put'>;
  intake: PlatformIntakeStarter;
  clock: Clock;
  ids: Pick<Ids, 'uuid'>;
  settings: PlatformIntakeSettings;
}

export interface PlatformIntakeSettings {
  /** How long a delivery claim lasts (past every platform's retry window). */
  dedupTtlSeconds: number;
  /** How long an unfetched intake item (with its download token) may live. */
  intakeTtlSeconds: number;
}

/** What the `FetchPlatformArtifact` task needs. */
export interface FetchArtifactDeps {
  meetings: Pick<MeetingStore, 'get' | 'replace'>;
  intakes: PlatformIntakeStore;
  integrations: Pick<IntegrationStore, 'get'>;
  fetchers: PlatformArtifactFetchers;
  artifacts: ArtifactWriter;
  audit: AuditLog;
  clock: Clock;
}
