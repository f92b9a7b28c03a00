import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../functions/platform/config/config';
import { topology } from '../../../functions/topology';
import { displayPath, endpointLines, serviceLines, summaryLine } from '../../../lib/local/startup-summary';

const env = {
  AWS_REGION: 'us-east-1',
  TABLE_NAME: 'smartad',
  UPLOADS_BUCKET: 'smartad-uploads',
  ARCHIVE_BUCKET: 'smartad-archive',
  KEYRING_FILE: '/repo/.smartad/keyring.json',
  SIGNING_KEY_FILE: '/repo/.smartad/signing-key.json',
};

const ALL_SERVED = {
  pipelineTasks: true,
  intakeTasks: true,
  eventSources: true,
  timedSchedules: topology.schedules.map((schedule) => schedule.name),
};

function summary(overrides: Record<string, string> = {}, served = ALL_SERVED) {
  const all = { ...env, ...overrides };
  return serviceLines({
    cwd: '/repo',
    memory: false,
    config: parseConfig(all),
    env: all,
    dynamodb: { endpoint: 'http://127.0.0.1:4000', pid: 42, dataDir: '/repo/.smartad/dynamodb' },
    s3: { endpoint: 'http://127.0.0.1:4001', directory: '/repo/.smartad/s3' },
    secrets: { created: ['/repo/.smartad/keyring.json'] },
    topology,
    served,
    notes: [],
  });
}

describe('endpointLines', () => {
  it('prints one aligned line per route group', () => {
    expect(endpointLines(topology)).toContain(
      '  system      GET /api/v1/health, GET /api/v1/health/ready, GET /api/v1/openapi.json',
    );
  });
});

describe('serviceLines', () => {
  it('says where each engine runs and where its data lives', () => {
    const lines = summary();
    expect(lines).toContain(
      '  dynamodb    DynamoDB Local (java, pid 42) at http://127.0.0.1:4000, table smartad, data in .smartad/dynamodb',
    );
    expect(lines.find((l) => l.startsWith('  s3 '))).toContain('data in .smartad/s3');
    expect(lines.find((l) => l.startsWith('  secrets'))).toBe(
      '  secrets     keyring .smartad/keyring.json (created now), signing key .smartad/signing-key.json',
    );
  });

  it('warns that Object Lock is not enforced locally', () => {
    expect(summary().some((l) => /Object Lock is accepted but NOT enforced/.test(l))).toBe(true);
  });

  it('reports integrations without keys as offline, naming the variable', () => {
    const lines = summary();
    expect(lines).toContain('  anthropic   offline (ANTHROPIC_API_KEY not set)');
    expect(lines).toContain('  transcription offline (ASSEMBLYAI_API_KEY not set)');
    expect(lines).toContain(
      '  cors        no allowed origins (CORS_ALLOWED_ORIGINS empty) — browsers will be refused',
    );
  });

  it('reports configured integrations without printing secrets', () => {
    const lines = summary({
      ANTHROPIC_API_KEY: 'sk-ant-secret-0123456789abcdef',
      CORS_ALLOWED_ORIGINS: 'http://localhost:5173',
    });
    expect(lines).toContain('  anthropic   configured (ANTHROPIC_API_KEY set)');
    expect(lines).toContain('  cors        allowed origins http://localhost:5173');
    expect(lines.join('\n')).not.toContain('sk-ant-secret-0123456789abcdef');
  });

  it('names the configured transcription provider and its key variable', () => {
    expect(summary({ TRANSCRIPTION_PROVIDER: 'deepgram' })).toContain(
      '  transcription deepgram offline (DEEPGRAM_API_KEY not set)',
    );
    const lines = summary({
      TRANSCRIPTION_PROVIDER: 'deepgram',
      DEEPGRAM_API_KEY: 'dg-secret-key',
      TRANSCRIPTION_WEBHOOK_SECRET: 'd'.repeat(64),
    });
    expect(lines).toContain('  transcription deepgram configured (DEEPGRAM_API_KEY set)');
    expect(lines.join('\n')).not.toContain('dg-secret-key');
  });

  it('names the vendor keys file as the source when no plain variable is set (the file is not read)', () => {
    const lines = summary({ VENDOR_KEYS_FILE: '/repo/.smartad/vendor-keys.json' });
    expect(lines).toContain(
      '  anthropic   configured (anthropic_api_key from the vendor keys in .smartad/vendor-keys.json)',
    );
    expect(lines).toContain(
      '  transcription configured (assemblyai_api_key from the vendor keys in .smartad/vendor-keys.json)',
    );
    expect(
      summary({ VENDOR_KEYS_FILE: '/x.json', ANTHROPIC_API_KEY: 'sk-ant-0123456789abcdefghij' }),
    ).toContain('  anthropic   configured (ANTHROPIC_API_KEY set)');
  });
});

describe('helpers', () => {
  it('pads names so texts line up, leaving one space after long names', () => {
    expect(summaryLine('s3', 'x')).toBe('  s3          x');
    expect(summaryLine('transcription', 'x')).toBe('  transcription x');
  });

  it('shows paths inside the working directory relative to it', () => {
    expect(displayPath('/repo/.smartad', '/repo')).toBe('.smartad');
    expect(displayPath('/tmp/x', '/repo')).toBe('/tmp/x');
  });
});

describe('what the summary says is not served', () => {
  it('says nothing is missing when the host runs the whole topology, and lists the schedules on their timetables', () => {
    const lines = summary();
    expect(lines.filter((line) => line.includes('not served'))).toEqual([]);
    expect(lines).toContain(summaryLine('schedules', 'renew-teams-subscriptions rate(1 hour)'));
    expect(lines).toContain(summaryLine('', 'run a schedule now: npx smartad run-schedule NAME'));
  });

  it('names the schedules that run only on demand when SMARTAD_SCHEDULES=off', () => {
    const lines = summary({}, { ...ALL_SERVED, timedSchedules: [] });
    expect(lines).toContain(
      summaryLine(
        'not served',
        '1 schedule not run on its expression (SMARTAD_SCHEDULES=off): renew-teams-subscriptions',
      ),
    );
    expect(lines.some((line) => line.startsWith('  schedules'))).toBe(false);
  });

  it('counts the pipeline tasks and event sources only when they are not run', () => {
    const lines = summary({}, { ...ALL_SERVED, pipelineTasks: false, eventSources: false });
    expect(lines).toContain(
      summaryLine(
        'not served',
        `${topology.pipelineTasks.length} pipeline tasks in the topology are not run locally`,
      ),
    );
    expect(lines).toContain(
      summaryLine(
        'not served',
        `${topology.eventSources.length} event sources in the topology are not run locally`,
      ),
    );
  });
});
