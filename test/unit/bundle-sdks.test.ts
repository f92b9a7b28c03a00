import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { allHandlerModules } from '../../functions/topology';
import { bundleOptionsFor, PROJECT_ROOT } from '../../lib/bundling';

/**
 * Which SDKs each function's bundle carries, read from esbuild's metafile with the CDK app's own settings
 * (`bundleOptionsFor`, as `project-function.ts` bundles), and the SDKs its family calls. A function that
 * bundles an SDK its family does not call — a composition root that builds a client the handler never uses —
 * fails here: one `runtime()` for every function once put the Anthropic SDK and the S3 and Step Functions
 * clients into the audit function. Metafile only (nothing written, not minified), so it stays quick.
 */
const SDKS = [
  '@anthropic-ai/sdk',
  'assemblyai',
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/client-s3',
  '@aws-sdk/client-secrets-manager',
  '@aws-sdk/client-sfn',
  '@aws-sdk/client-dynamodb-streams',
] as const;
type Sdk = (typeof SDKS)[number];

const TABLE: Sdk[] = ['@aws-sdk/client-dynamodb', '@aws-sdk/client-secrets-manager'];
const OBJECTS: Sdk[] = [...TABLE, '@aws-sdk/client-s3'];

/** What each family calls: the table (and the keyring's secret) always; the rest only where a use case needs it. */
const FAMILIES: Record<string, Sdk[]> = {
  /** Nothing: answers unmatched routes from the topology alone. */
  fallback: [],
  /** The table only (no keyring: it chains audit events, which carry no encrypted field). */
  auditChain: ['@aws-sdk/client-dynamodb'],
  /** Health, identity, firm settings, the audit trail, platform integrations and Teams subscriptions. */
  table: TABLE,
  /** Uploads (presigned PUTs, stored extractions) and starting the pipeline. */
  meetings: [...OBJECTS, '@aws-sdk/client-sfn'],
  /** The upload trigger: attaches the object, starts the pipeline. */
  uploadTrigger: [...TABLE, '@aws-sdk/client-sfn'],
  /** Follow-up drafts written by Claude from the stored extraction. */
  followUp: [...OBJECTS, '@anthropic-ai/sdk'],
  /** CRM connections and sync: the stored extraction goes to the CRM. */
  crm: OBJECTS,
  /** Pipeline tasks that only move the meeting's status. */
  pipelineTable: TABLE,
  /** Pipeline tasks that read or write the buckets (Archive; the intake's file fetch). */
  pipelineObjects: OBJECTS,
  /** Extract: the transcript from S3, the model. */
  extract: [...OBJECTS, '@anthropic-ai/sdk'],
  /** Transcribe and PollTranscription: the recording link, the transcript, the provider. */
  transcription: [...OBJECTS, 'assemblyai'],
  /** The transcription webhook: as above, and it answers the pipeline's task token. */
  transcriptionCallback: [...OBJECTS, 'assemblyai', '@aws-sdk/client-sfn'],
  /** Zoom, Teams and Meet webhooks: admit the delivery, start the intake state machine. */
  platformWebhooks: [...TABLE, '@aws-sdk/client-sfn'],
};

const FAMILY_OF: Record<string, keyof typeof FAMILIES> = {
  'functions/http/fallback.ts': 'fallback',
  'functions/events/audit-chainer.ts': 'auditChain',
  'functions/http/system.ts': 'table',
  'functions/http/auth.ts': 'table',
  'functions/http/users.ts': 'table',
  'functions/http/firm.ts': 'table',
  'functions/http/audit.ts': 'table',
  'functions/http/integrations.ts': 'table',
  'functions/http/teams-subscriptions.ts': 'table',
  'functions/events/renew-teams-subscriptions.ts': 'table',
  'functions/http/meetings.ts': 'meetings',
  'functions/events/upload-received.ts': 'uploadTrigger',
  'functions/http/follow-up-drafts.ts': 'followUp',
  'functions/http/crm.ts': 'crm',
  'functions/pipeline/sync-crm.ts': 'crm',
  'functions/pipeline/save.ts': 'pipelineTable',
  'functions/pipeline/archive-failed.ts': 'pipelineTable',
  'functions/pipeline/list-crm-connections.ts': 'pipelineTable',
  'functions/pipeline/mark-completed.ts': 'pipelineTable',
  'functions/pipeline/mark-failed.ts': 'pipelineTable',
  'functions/pipeline/mark-intake-failed.ts': 'pipelineTable',
  'functions/pipeline/archive.ts': 'pipelineObjects',
  'functions/pipeline/fetch-platform-artifact.ts': 'pipelineObjects',
  'functions/pipeline/extract.ts': 'extract',
  'functions/pipeline/transcribe.ts': 'transcription',
  'functions/pipeline/poll-transcription.ts': 'transcription',
  'functions/webhooks/transcription-callback.ts': 'transcriptionCallback',
  'functions/webhooks/zoom.ts': 'platformWebhooks',
  'functions/webhooks/teams.ts': 'platformWebhooks',
  'functions/webhooks/meet.ts': 'platformWebhooks',
};

/** The SDK packages whose code ends up in the output (a module esbuild read but tree-shook away does not count). */
function sdksIn(metafile: Metafile): Sdk[] {
  const found = new Set<Sdk>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput === 0) continue;
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
      if (pkg && (SDKS as readonly string[]).includes(pkg)) found.add(pkg as Sdk);
    }
  }
  return SDKS.filter((sdk) => found.has(sdk));
}

const contents = new Map<string, Sdk[]>();

beforeAll(async () => {
  await Promise.all(
    allHandlerModules().map(async (handler) => {
      const result = await build({
        ...bundleOptionsFor(join(PROJECT_ROOT, handler)),
        minify: false,
        sourcemap: false,
        write: false,
        metafile: true,
        logLevel: 'silent',
      });
      contents.set(handler, sdksIn(result.metafile));
    }),
  );
}, 300_000);

describe('the SDKs in each function bundle', () => {
  it('names a family for every function of the topology', () => {
    expect(Object.keys(FAMILY_OF).sort()).toEqual([...allHandlerModules()].sort());
  });

  it('are exactly the ones its family calls', () => {
    const table = Object.fromEntries([...contents].sort(([a], [b]) => a.localeCompare(b)));
    const expected = Object.fromEntries(
      Object.keys(table).map((handler) => {
        const family = FAMILY_OF[handler];
        return [
          handler,
          family === undefined ? ['(no family)'] : SDKS.filter((s) => FAMILIES[family]?.includes(s)),
        ];
      }),
    );
    expect(table).toEqual(expected);
  });

  it('keep the Anthropic SDK and the S3 and Step Functions clients out of audit, firm, users and auth', () => {
    for (const handler of ['audit', 'firm', 'users', 'auth'].map((g) => `functions/http/${g}.ts`)) {
      expect(contents.get(handler)).not.toContain('@anthropic-ai/sdk');
      expect(contents.get(handler)).not.toContain('@aws-sdk/client-s3');
      expect(contents.get(handler)).not.toContain('@aws-sdk/client-sfn');
    }
  });
});
