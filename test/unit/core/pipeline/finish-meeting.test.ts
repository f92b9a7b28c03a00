import { describe, expect, it } from 'vitest';
import { markCompleted, markFailed } from '../../../../functions/core/pipeline/finish-meeting';
import { listCrmConnections } from '../../../../functions/core/pipeline/list-crm-connections';
import { pipelineDeps, pipelineMeeting, REF } from '../../../fakes/pipeline-deps';

const connection = { connectionId: 'c-1', provider: 'wealthbox' };

describe('markCompleted', () => {
  it('completes the meeting with archive status and CRM outcomes, once', async () => {
    const t = pipelineDeps(pipelineMeeting({ status: 'processing' }));
    const input = {
      ...REF,
      archive: 'archived' as const,
      crm: [
        {
          connection,
          outcome: { status: 'failed' as const, error: 'CrmProviderUnavailableError', cause: 'x' },
        },
      ],
    };
    expect(await markCompleted(input, t.deps)).toEqual({ changed: true });
    expect(t.stored()).toMatchObject({
      status: 'completed',
      completedAt: '2026-01-20T15:00:00.000Z',
      archiveStatus: 'archived',
      crm: [
        {
          connectionId: 'c-1',
          provider: 'wealthbox',
          status: 'failed',
          error: 'CrmProviderUnavailableError',
        },
      ],
    });
    // A retried MarkCompleted finds it completed and does nothing.
    expect(await markCompleted(input, t.deps)).toEqual({ changed: false });
    expect(t.audit.map((e) => e.action)).toEqual(['meeting.completed']);
  });

  it('does not complete a failed meeting', async () => {
    const t = pipelineDeps(pipelineMeeting({ status: 'failed', failureReason: 'x' }));
    expect(await markCompleted({ ...REF, archive: 'failed', crm: [] }, t.deps)).toEqual({ changed: false });
    expect(t.stored().status).toBe('failed');
  });
});

describe('markFailed', () => {
  it("fails the meeting with the function error's message, once", async () => {
    const t = pipelineDeps(pipelineMeeting({ status: 'processing' }));
    const error = {
      Error: 'MalformedTranscriptError',
      Cause: JSON.stringify({ errorType: 'MalformedTranscriptError', errorMessage: 'cue 2 has no end time' }),
    };
    expect(await markFailed({ ...REF, error }, t.deps)).toEqual({ changed: true });
    expect(t.stored()).toMatchObject({ status: 'failed', failureReason: 'cue 2 has no end time' });
    expect(await markFailed({ ...REF, error }, t.deps)).toEqual({ changed: false });
    expect(t.audit.map((e) => [e.action, e.details])).toEqual([
      ['meeting.failed', { error: 'MalformedTranscriptError' }],
    ]);
  });

  it('fails a meeting the pipeline never started processing (unsupported source kind)', async () => {
    const t = pipelineDeps(pipelineMeeting());
    await markFailed(
      { ...REF, error: { Error: 'UnsupportedSourceKind', Cause: 'The pipeline was started with…' } },
      t.deps,
    );
    expect(t.stored()).toMatchObject({ status: 'failed', failureReason: 'The pipeline was started with…' });
  });

  it('leaves a completed meeting completed', async () => {
    const t = pipelineDeps(pipelineMeeting({ status: 'completed' }));
    expect(await markFailed({ ...REF, error: { Error: 'States.Timeout' } }, t.deps)).toEqual({
      changed: false,
    });
  });
});

describe('CRM steps', () => {
  it("lists only the meeting owner's active connections", async () => {
    const t = pipelineDeps(pipelineMeeting({ ownerUserId: 'adv-7' }));
    const asked: string[] = [];
    t.deps.crm.listActive = async (_tenant, advisorId) => {
      asked.push(advisorId);
      return advisorId === 'adv-7' ? [connection] : [];
    };
    expect(await listCrmConnections(REF, t.deps)).toEqual({ connections: [connection] });
    expect(asked).toEqual(['adv-7']);
  });

  it('records a skipped connection and a failed one without an error name', async () => {
    const t = pipelineDeps(pipelineMeeting({ status: 'processing' }));
    await markCompleted(
      {
        ...REF,
        archive: 'archived',
        crm: [
          { connection, outcome: { status: 'skipped' as const } },
          {
            connection: { connectionId: 'c-2', provider: 'redtail' },
            outcome: { status: 'failed' as const },
          },
        ],
      },
      t.deps,
    );
    expect(t.stored().crm).toEqual([
      { connectionId: 'c-1', provider: 'wealthbox', status: 'skipped' },
      { connectionId: 'c-2', provider: 'redtail', status: 'failed', error: 'CrmSyncFailed' },
    ]);
  });
});
