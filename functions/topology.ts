import { AUDIT_PENDING_SK_PREFIX } from './adapters/store/keys/audit-keys';
import type { PipelineTaskState } from './contracts/pipeline-tasks';
import type { PlatformIntakeTaskState } from './contracts/platform-intake-tasks';
import { auditRoutes } from './http/routes/audit-routes';
import { authRoutes } from './http/routes/auth-routes';
import { crmRoutes } from './http/routes/crm-routes';
import { firmRoutes } from './http/routes/firm-routes';
import { followUpDraftRoutes } from './http/routes/follow-up-draft-routes';
import { integrationsRoutes } from './http/routes/integrations-routes';
import { meetWebhookRoutes } from './http/routes/meet-webhook-routes';
import { meetingsRoutes } from './http/routes/meetings-routes';
import { systemRoutes } from './http/routes/system-routes';
import { teamsSubscriptionsRoutes } from './http/routes/teams-subscriptions-routes';
import { teamsWebhookRoutes } from './http/routes/teams-webhook-routes';
import { transcriptionWebhookRoutes } from './http/routes/transcription-webhook-routes';
import { usersRoutes } from './http/routes/users-routes';
import { zoomWebhookRoutes } from './http/routes/zoom-webhook-routes';
import type { RouteDefinition } from './platform/http/route';

/**
 * The system's moving parts, declared once. The CDK app (`lib/stateless-stack.ts`) and the local host
 * (`lib/local/local-host.ts`) are both built from this object; `test/unit/topology.test.ts` fails when a
 * handler file is not reachable from here or an entry here has no handler.
 *
 * Pure data: no CDK and no AWS SDK imports, so the fallback and OpenAPI functions can bundle it.
 */
export interface RouteGroup {
  /** Lower-kebab name; becomes the function name and the log group. */
  name: string;
  /** Repository-relative path of the module that exports `handler` (providers' callbacks: `functions/webhooks/`). */
  handler: `functions/http/${string}.ts` | `functions/webhooks/${string}.ts`;
  description: string;
  routes: readonly RouteDefinition[];
  memoryMb: number;
  timeoutSeconds: number;
  /** What the group's function may do with the stateful resources (least privilege). */
  grants: {
    table: 'none' | 'read' | 'readwrite';
    keyring: boolean;
    signingKey: boolean;
    /**
     * The vendor keys secret (Anthropic, AssemblyAI, Deepgram, the transcription webhook secret), for functions
     * that call those vendors or check their callbacks. Absent: false, and `VENDOR_KEYS_SECRET_ID` is not even
     * set, so such a function takes the offline path rather than failing on a secret it may not read.
     */
    vendorKeys?: boolean;
    /**
     * Objects in the uploads bucket (presigning a PUT needs `write`: the URL carries the function's authority;
     * `readwrite-delete` for the step that removes an upload once its content is stored encrypted).
     */
    uploads?: 'none' | 'read' | 'write' | 'readwrite' | 'readwrite-delete';
    /** The meeting pipeline: `start` executions (StartExecution), or answer task tokens (SendTaskSuccess/Failure). */
    pipeline?: 'start' | 'callbacks';
    /** Objects in the WORM archive bucket (the pipeline's `Archive` task writes; nothing deletes). */
    archive?: 'none' | 'read' | 'write' | 'readwrite';
    /** The platform intake state machine: `start` executions (the platform webhooks). */
    intake?: 'start';
  };
}

export interface FallbackFunction {
  name: string;
  handler: `functions/http/${string}.ts`;
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
}

/**
 * The function behind one Task state of `state-machines/meeting-pipeline.asl.json`. Declare one per Task state
 * (`functions/contracts/pipeline-tasks.ts` lists them): with none declared neither host runs the pipeline; with some, the CDK
 * app and the local runner refuse to start while any Task state lacks one.
 */
export interface PipelineTask {
  state: PipelineTaskState;
  /** Lower-kebab name; becomes the function name and the log group. */
  name: string;
  handler: `functions/pipeline/${string}.ts`;
  description: string;
  memoryMb: number;
  /** Below the state's `TimeoutSeconds` in the ASL file, so the function's own timeout fires first. */
  timeoutSeconds: number;
  grants: RouteGroup['grants'];
}

/**
 * The function behind one Task state of `state-machines/platform-intake.asl.json` (`functions/contracts/platform-intake-tasks.ts`
 * lists them): fetching a webhook meeting's file after the webhook answered, and failing the meeting when that
 * cannot be done.
 */
export interface IntakeTask {
  state: PlatformIntakeTaskState;
  /** Lower-kebab name; becomes the function name and the log group. */
  name: string;
  handler: `functions/pipeline/${string}.ts`;
  description: string;
  memoryMb: number;
  /** Below the state's `TimeoutSeconds` in the ASL file, so the function's own timeout fires first. */
  timeoutSeconds: number;
  grants: RouteGroup['grants'];
}

/** A non-HTTP trigger of a function. */
export interface EventSource {
  name: string;
  handler: `functions/events/${string}.ts` | `functions/webhooks/${string}.ts`;
  description: string;
  /**
   * Objects created in one of our buckets under a key prefix (EventBridge on AWS, s3rver's events locally), or
   * items inserted into the table under a sort-key prefix (the table's stream, filtered, on AWS; DynamoDB Local's
   * stream locally).
   */
  trigger:
    | { kind: 's3-object-created'; bucket: 'uploads'; keyPrefix: string }
    | { kind: 'table-stream'; insertedSortKeyPrefix: string };
  memoryMb: number;
  timeoutSeconds: number;
  grants: RouteGroup['grants'];
}

/** An EventBridge Scheduler schedule and the function it invokes. */
export interface Schedule {
  /** Lower-kebab name; becomes the function name and the log group. */
  name: string;
  handler: `functions/events/${string}.ts`;
  description: string;
  /** An EventBridge Scheduler expression: `rate(1 hour)`, `cron(0 6 * * ? *)`. */
  expression: string;
  /** IANA time zone the expression is read in (matters for `cron`). */
  timezone: string;
  memoryMb: number;
  timeoutSeconds: number;
  grants: RouteGroup['grants'];
}

export interface Topology {
  routeGroups: readonly RouteGroup[];
  /** Answers every request no route matched (API Gateway `$default`), so 404/405 have the API's error shape. */
  fallback: FallbackFunction;
  pipelineTasks: readonly PipelineTask[];
  /** The platform intake state machine's tasks; absent or empty: no intake machine (webhooks cannot start one). */
  intakeTasks?: readonly IntakeTask[];
  eventSources: readonly EventSource[];
  schedules: readonly Schedule[];
}

export const topology: Topology = {
  routeGroups: [
    {
      name: 'system',
      handler: 'functions/http/system.ts',
      description: 'Health and the OpenAPI document',
      routes: systemRoutes,
      memoryMb: 256,
      timeoutSeconds: 10,
      grants: { table: 'read', keyring: false, signingKey: false },
    },
    {
      name: 'auth',
      handler: 'functions/http/auth.ts',
      description: 'Register, sign in, rotate and revoke tokens, who am I',
      routes: authRoutes,
      // scrypt (N=2^17, r=8) needs 128 MiB per hash; more memory also buys CPU for it.
      memoryMb: 1024,
      timeoutSeconds: 10,
      grants: { table: 'readwrite', keyring: true, signingKey: true },
    },
    {
      name: 'users',
      handler: 'functions/http/users.ts',
      description: 'Invite users, accept invites, roles, deactivation, assistant assignments',
      routes: usersRoutes,
      memoryMb: 1024,
      timeoutSeconds: 10,
      grants: { table: 'readwrite', keyring: true, signingKey: true },
    },
    {
      name: 'meetings',
      handler: 'functions/http/meetings.ts',
      description: 'Meeting uploads, lists, details and recording consent',
      routes: meetingsRoutes,
      memoryMb: 512,
      timeoutSeconds: 10,
      grants: {
        table: 'readwrite',
        keyring: true,
        signingKey: true,
        vendorKeys: true,
        uploads: 'readwrite',
        pipeline: 'start',
      },
    },
    {
      name: 'follow-up-drafts',
      handler: 'functions/http/follow-up-drafts.ts',
      description: 'Follow-up email drafts written by Claude while the adviser waits (regenerate)',
      routes: followUpDraftRoutes,
      memoryMb: 512,
      // API Gateway gives up at 30 s: the function ends before it, and the model call (22 s) before the function.
      timeoutSeconds: 29,
      grants: {
        table: 'readwrite',
        keyring: true,
        signingKey: true,
        vendorKeys: true,
        uploads: 'read',
      },
    },
    {
      name: 'transcription-webhooks',
      handler: 'functions/webhooks/transcription-callback.ts',
      description: "Transcription providers' callbacks: store the transcript, resume the meeting pipeline",
      routes: transcriptionWebhookRoutes,
      memoryMb: 512,
      timeoutSeconds: 25,
      grants: {
        table: 'readwrite',
        keyring: true,
        signingKey: false,
        vendorKeys: true,
        uploads: 'write',
        pipeline: 'callbacks',
      },
    },
    {
      name: 'firm',
      handler: 'functions/http/firm.ts',
      description: 'The firm’s settings: follow-up disclaimer, transcripts in the archive',
      routes: firmRoutes,
      memoryMb: 512,
      timeoutSeconds: 30,
      grants: { table: 'readwrite', keyring: true, signingKey: true },
    },
    {
      name: 'integrations',
      handler: 'functions/http/integrations.ts',
      description: "Admins connect the firm's Zoom, Teams and Meet accounts (credentials encrypted)",
      routes: integrationsRoutes,
      memoryMb: 512,
      timeoutSeconds: 10,
      grants: { table: 'readwrite', keyring: true, signingKey: true },
    },
    {
      name: 'zoom-webhooks',
      handler: 'functions/webhooks/zoom.ts',
      description: 'Zoom events: verify, dedup, create the meeting awaiting consent, start the file intake',
      routes: zoomWebhookRoutes,
      // Answers within Zoom's 3 s: a few small writes, no download (the intake state machine fetches).
      memoryMb: 512,
      timeoutSeconds: 10,
      grants: { table: 'readwrite', keyring: true, signingKey: false, intake: 'start' },
    },
    {
      name: 'teams-webhooks',
      handler: 'functions/webhooks/teams.ts',
      description:
        'Graph notifications: validation echo, clientState per item, meeting awaiting consent; lifecycle',
      routes: teamsWebhookRoutes,
      // Graph wants an answer within seconds: a few small writes per item; the intake fetches later.
      memoryMb: 512,
      timeoutSeconds: 10,
      grants: { table: 'readwrite', keyring: true, signingKey: false, intake: 'start' },
    },
    {
      name: 'meet-webhooks',
      handler: 'functions/webhooks/meet.ts',
      description:
        'Meet Pub/Sub pushes: path token (and OIDC), fileGenerated events to meetings awaiting consent',
      routes: meetWebhookRoutes,
      memoryMb: 512,
      timeoutSeconds: 10,
      grants: { table: 'readwrite', keyring: true, signingKey: false, intake: 'start' },
    },
    {
      name: 'teams-subscriptions',
      handler: 'functions/http/teams-subscriptions.ts',
      description: "Admins subscribe their firm's Teams organizers to transcript notifications",
      routes: teamsSubscriptionsRoutes,
      // Graph validates both notification URLs before it answers the subscription request.
      memoryMb: 512,
      timeoutSeconds: 30,
      grants: { table: 'readwrite', keyring: true, signingKey: true },
    },
    {
      name: 'audit',
      handler: 'functions/http/audit.ts',
      description: 'The firm audit trail and its chain verification',
      routes: auditRoutes,
      memoryMb: 512,
      timeoutSeconds: 30,
      grants: { table: 'read', keyring: true, signingKey: true },
    },
    {
      name: 'crm',
      handler: 'functions/http/crm.ts',
      description: "Advisors' CRM connections, and a completed meeting's CRM re-sync",
      routes: crmRoutes,
      memoryMb: 512,
      // Connecting makes one or two vendor calls; a re-sync runs every provider inline (see resyncMeetingCrm),
      // each bounded by CRM_TIMEOUT_MS × CRM_MAX_ATTEMPTS. API Gateway stops waiting at 30 s.
      timeoutSeconds: 29,
      grants: { table: 'readwrite', keyring: true, signingKey: true, uploads: 'read' },
    },
  ],
  // Only shapes 404/405 and preflight answers: the smallest function, quick to start.
  fallback: {
    name: 'fallback',
    handler: 'functions/http/fallback.ts',
    description: 'JSON 404/405 and CORS preflights for requests no route matches',
    memoryMb: 256,
    timeoutSeconds: 10,
  },
  pipelineTasks: [
    {
      state: 'Transcribe',
      name: 'pipeline-transcribe',
      handler: 'functions/pipeline/transcribe.ts',
      description: 'Submits a recording for transcription with the task token; the callback resumes',
      memoryMb: 256,
      timeoutSeconds: 30,
      grants: { table: 'readwrite', keyring: true, signingKey: false, vendorKeys: true, uploads: 'read' },
    },
    {
      state: 'PollTranscription',
      name: 'pipeline-poll-transcription',
      handler: 'functions/pipeline/poll-transcription.ts',
      description:
        'Fallback when a transcription callback is lost: asks the provider, collects the transcript',
      memoryMb: 512,
      timeoutSeconds: 60,
      grants: {
        table: 'readwrite',
        keyring: true,
        signingKey: false,
        vendorKeys: true,
        uploads: 'readwrite',
      },
    },
    {
      state: 'Extract',
      name: 'pipeline-extract',
      handler: 'functions/pipeline/extract.ts',
      description: 'Parses the transcript and extracts notes, actions, facts, flags and the email draft',
      memoryMb: 1024,
      timeoutSeconds: 900,
      grants: {
        table: 'readwrite',
        keyring: true,
        signingKey: false,
        vendorKeys: true,
        uploads: 'readwrite-delete',
      },
    },
    {
      state: 'Save',
      name: 'pipeline-save',
      handler: 'functions/pipeline/save.ts',
      description: 'Attaches the extraction to the meeting',
      memoryMb: 256,
      timeoutSeconds: 30,
      grants: { table: 'readwrite', keyring: true, signingKey: false },
    },
    {
      state: 'Archive',
      name: 'pipeline-archive',
      handler: 'functions/pipeline/archive.ts',
      description: 'Writes the meeting record to the WORM archive (Object Lock, COMPLIANCE)',
      memoryMb: 512,
      timeoutSeconds: 90,
      grants: { table: 'readwrite', keyring: true, signingKey: false, uploads: 'read', archive: 'write' },
    },
    {
      state: 'ArchiveFailed',
      name: 'pipeline-archive-failed',
      handler: 'functions/pipeline/archive-failed.ts',
      description: 'COMPLIANCE ACTION REQUIRED: records an archive failure and emits the alarm metric',
      memoryMb: 256,
      timeoutSeconds: 30,
      grants: { table: 'readwrite', keyring: true, signingKey: false },
    },
    {
      state: 'ListCrmConnections',
      name: 'pipeline-list-crm-connections',
      handler: 'functions/pipeline/list-crm-connections.ts',
      description: "The meeting owner's active CRM connections for the fan-out",
      memoryMb: 256,
      timeoutSeconds: 30,
      grants: { table: 'read', keyring: true, signingKey: false },
    },
    {
      state: 'SyncCrm',
      name: 'pipeline-sync-crm',
      handler: 'functions/pipeline/sync-crm.ts',
      description: 'One CRM connection: contact, note and tasks, each remote id recorded in the ledger',
      memoryMb: 256,
      timeoutSeconds: 120,
      grants: { table: 'readwrite', keyring: true, signingKey: false, uploads: 'read' },
    },
    {
      state: 'MarkCompleted',
      name: 'pipeline-mark-completed',
      handler: 'functions/pipeline/mark-completed.ts',
      description: 'Marks the meeting completed with its archive and CRM outcomes',
      memoryMb: 256,
      timeoutSeconds: 30,
      grants: { table: 'readwrite', keyring: true, signingKey: false },
    },
    {
      state: 'MarkFailed',
      name: 'pipeline-mark-failed',
      handler: 'functions/pipeline/mark-failed.ts',
      description: 'Marks the meeting failed with the reason',
      memoryMb: 256,
      timeoutSeconds: 30,
      grants: { table: 'readwrite', keyring: true, signingKey: false },
    },
  ],
  intakeTasks: [
    {
      state: 'FetchPlatformArtifact',
      name: 'intake-fetch-platform-artifact',
      handler: 'functions/pipeline/fetch-platform-artifact.ts',
      description:
        "Downloads a webhook meeting's transcript or recording (SSRF-guarded) into the uploads bucket",
      // The file is held in memory while it is stored (PLATFORM_DOWNLOAD_MAX_BYTES, 500 MiB by default).
      memoryMb: 1769,
      timeoutSeconds: 840,
      grants: { table: 'readwrite', keyring: true, signingKey: false, uploads: 'write' },
    },
    {
      state: 'MarkIntakeFailed',
      name: 'intake-mark-failed',
      handler: 'functions/pipeline/mark-intake-failed.ts',
      description: 'Marks a webhook meeting failed when its file could not be fetched, with the reason',
      memoryMb: 256,
      timeoutSeconds: 30,
      grants: { table: 'readwrite', keyring: true, signingKey: false },
    },
  ],
  eventSources: [
    {
      name: 'upload-received',
      handler: 'functions/events/upload-received.ts',
      description:
        'Attaches an uploaded recording or transcript to its meeting; starts the pipeline with consent',
      trigger: { kind: 's3-object-created', bucket: 'uploads', keyPrefix: 'uploads/' },
      memoryMb: 256,
      timeoutSeconds: 30,
      grants: { table: 'readwrite', keyring: true, signingKey: false, pipeline: 'start' },
    },
    {
      name: 'audit-chainer',
      handler: 'functions/events/audit-chainer.ts',
      description: 'Links recorded audit events into their firm’s hash chain: one ordered writer per firm',
      trigger: { kind: 'table-stream', insertedSortKeyPrefix: AUDIT_PENDING_SK_PREFIX },
      memoryMb: 256,
      timeoutSeconds: 60,
      grants: { table: 'readwrite', keyring: false, signingKey: false },
    },
  ],
  schedules: [
    {
      name: 'renew-teams-subscriptions',
      handler: 'functions/events/renew-teams-subscriptions.ts',
      description:
        'Renews Microsoft Graph subscriptions of every firm before they expire (Teams transcripts)',
      // Hourly against a 12-hour renewal window: a run or two may fail without a subscription lapsing.
      expression: 'rate(1 hour)',
      timezone: 'UTC',
      memoryMb: 256,
      timeoutSeconds: 300,
      grants: { table: 'readwrite', keyring: true, signingKey: false },
    },
  ],
};

/** Every HTTP route of the system, in declaration order. */
export function allRoutes(t: Topology = topology): RouteDefinition[] {
  return t.routeGroups.flatMap((group) => group.routes);
}

/** Every handler module the topology names, repository-relative. */
export function allHandlerModules(t: Topology = topology): string[] {
  return [
    ...t.routeGroups.map((g) => g.handler),
    t.fallback.handler,
    ...t.pipelineTasks.map((p) => p.handler),
    ...(t.intakeTasks ?? []).map((p) => p.handler),
    ...t.eventSources.map((e) => e.handler),
    ...t.schedules.map((s) => s.handler),
  ];
}
