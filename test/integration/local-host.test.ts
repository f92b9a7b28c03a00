import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as z from 'zod';
import { defineRoute } from '../../functions/platform/http/route';
import type { Topology } from '../../functions/topology';
import { isProcessAlive, readHostState } from '../../lib/local/host-state';
import { type LocalHost, startLocalHost } from '../../lib/local/local-host';
import { ensureLocalSecrets } from '../../lib/local/local-secrets';
import { type HostProcess, runHostCommand, startHostProcess } from './global-setup';

const baseUrl = inject('baseUrl');
const ErrorShape = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.unknown()),
    request_id: z.string(),
  }),
});

async function waitUntilGone(pid: number, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && isProcessAlive(pid)) await new Promise((r) => setTimeout(r, 100));
  return !isProcessAlive(pid);
}

describe('the local host started by global setup', () => {
  it('answers GET /api/v1/health with 200 JSON', async () => {
    const res = await fetch(`${baseUrl}/api/v1/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ status: 'ok', service: 'smart-advisor-os' });
  });

  it('answers GET /api/v1/health/ready with a reachable store (DynamoDB Local)', async () => {
    const res = await fetch(`${baseUrl}/api/v1/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', checks: { store: 'ok' } });
  });

  it('serves the OpenAPI document', async () => {
    const res = await fetch(`${baseUrl}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths)).toContain('/api/v1/health');
  });

  it('answers an unknown route with 404 in the API error shape', async () => {
    const res = await fetch(`${baseUrl}/api/v1/no-such-thing`);
    expect(res.status).toBe(404);
    const body = ErrorShape.parse(await res.json());
    expect(body.error.code).toBe('route_not_found');
    expect(body.error.request_id).toBe(res.headers.get('apigw-requestid'));
  });

  it('answers a wrong method with 405, the error shape and an Allow header', async () => {
    const res = await fetch(`${baseUrl}/api/v1/health`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect(ErrorShape.parse(await res.json()).error.code).toBe('method_not_allowed');
  });

  it('refuses a body over 10 MiB with 413 before any handler runs', async () => {
    const res = await fetch(`${baseUrl}/api/v1/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20),
    });
    expect(res.status).toBe(413);
    const body = ErrorShape.parse(await res.json());
    expect(body.error).toMatchObject({ code: 'payload_too_large', issues: [] });
  });
});

describe('smartad start as a process', () => {
  it('refuses a port already in use with one clear line and exit 1', async () => {
    const port = new URL(baseUrl).port;
    const result = await runHostCommand(['start', '--memory'], { PORT: port });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `Port ${port} is already in use on 127.0.0.1; stop the other process or set PORT`,
    );
  });

  it('says how to install Java when java is not on PATH', async () => {
    const result = await runHostCommand(['start', '--memory', '--port', '0'], { PATH: '/nonexistent' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^Java 17\+ is required for DynamoDB Local: .*apt-get.*brew/);
  });

  it('names the bad variable and exits 1 on invalid configuration', async () => {
    const home = await mkdtemp(join(tmpdir(), 'smartad-it-'));
    try {
      const result = await runHostCommand(['start', '--memory', '--port', '0'], {
        AWS_REGION: 'nowhere',
        SMARTAD_HOME: home,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('AWS_REGION');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it("rotate-keys adds a key, starting and stopping DynamoDB Local and s3rver on the home's data", {
    timeout: 60_000,
  }, async () => {
    const home = await mkdtemp(join(tmpdir(), 'smartad-rotate-'));
    try {
      await ensureLocalSecrets(home);
      const result = await runHostCommand(['rotate-keys'], {
        SMARTAD_HOME: home,
        KEYRING_CACHE_SECONDS: '1',
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Started DynamoDB Local on ${home}/dynamodb`);
      expect(result.stdout).toContain(`s3rver on ${home}/s3 for the run`);
      expect(result.stdout).toContain('Added key k2');
      expect(result.stdout).toContain('Done: everything is under key k2.');
      const keyring = JSON.parse(await readFile(join(home, 'keyring.json'), 'utf8')) as {
        keys: { id: string }[];
      };
      expect(keyring.keys.map((k) => k.id)).toEqual(['k2', 'k1']);
      expect(await readHostState(home)).toBeUndefined();
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it.each([
    [['retire-key'], 'retire-key: give exactly one key id.'],
    [['retire-key', 'k1', 'k2'], 'retire-key: give exactly one key id.'],
    [['rotate-keys', '--concurrency', '0'], '--concurrency must be a whole number from 1 to 64.'],
    [['rotate-keys', '--page-size', 'lots'], '--page-size must be a whole number from 1 to 1000.'],
    [['rotate-keys', '--resum'], "Unknown option '--resum'"],
  ])('refuses %j with usage and exit 2', async (args, message) => {
    const result = await runHostCommand(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('names every missing variable when rotate-keys --aws has no deployed stack to work on', async () => {
    const result = await runHostCommand(['rotate-keys', '--aws'], {
      AWS_REGION: '',
      TABLE_NAME: '',
      UPLOADS_BUCKET: '',
      ARCHIVE_BUCKET: '',
      KEYRING_SECRET_ID: '',
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      '--aws needs AWS_REGION, TABLE_NAME, UPLOADS_BUCKET, ARCHIVE_BUCKET, KEYRING_SECRET_ID ' +
        '(the deployed stack\'s outputs; README, "Key rotation on AWS")',
    );
  });

  it('prints usage and exits 2 on an unknown command', async () => {
    const result = await runHostCommand(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown command 'frobnicate'");
    expect(result.stderr).toContain('Usage: smartad');
  });
});

describe('local host lifetime', () => {
  let home: string;
  let host: HostProcess | undefined;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'smartad-persist-'));
  });
  afterAll(async () => {
    await host?.stop().catch(() => undefined);
    await rm(home, { recursive: true, force: true });
  });

  it('keeps table data across a restart, and SIGTERM leaves no Java process', {
    timeout: 90_000,
  }, async () => {
    host = await startHostProcess({ env: { SMARTAD_HOME: home } });
    const endpoint = host.state.dynamodb?.endpoint;
    const tableName = host.state.tableName ?? 'smartad';
    const client = (url: string | undefined) =>
      DynamoDBDocumentClient.from(
        new DynamoDBClient({
          endpoint: url,
          region: 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }),
      );
    const first = client(endpoint);
    await first.send(
      new PutCommand({ TableName: tableName, Item: { pk: 'TEST#persist', sk: 'ITEM', n: 42 } }),
    );
    first.destroy();

    const javaPid = host.state.dynamodb?.pid ?? 0;
    const stopped = await host.stop();
    expect(stopped.code).toBe(0);
    expect(isProcessAlive(javaPid)).toBe(false);
    expect(await readHostState(home)).toBeUndefined();

    host = await startHostProcess({
      env: { SMARTAD_HOME: home, CORS_ALLOWED_ORIGINS: '', LOG_LEVEL: 'info', SMARTAD_SCHEDULES: 'on' },
    });
    const output = host.output();
    expect(output).toContain(`data in ${home}/dynamodb`);
    // A truthful start-up: one CORS warning for 14 route groups, and nothing claimed missing that runs.
    expect(output.match(/CORS_ALLOWED_ORIGINS is empty/g)).toHaveLength(1);
    expect(output).not.toContain('not served');
    expect(output).toContain('schedules   renew-teams-subscriptions rate(1 hour)');
    const second = client(host.state.dynamodb?.endpoint);
    const read = await second.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'TEST#persist', sk: 'ITEM' } }),
    );
    second.destroy();
    expect(read.Item).toMatchObject({ n: 42 });
    await host.stop();
    host = undefined;
  });

  it('leaves no Java process behind when the host itself is SIGKILLed', { timeout: 90_000 }, async () => {
    host = await startHostProcess({ env: { SMARTAD_HOME: home } });
    const { pid: hostPid, dynamodb } = host.state;
    process.kill(hostPid, 'SIGKILL');
    // No handler runs on SIGKILL: the watchdog must notice within a second or two.
    expect(await waitUntilGone(dynamodb?.pid ?? 0, 5_000)).toBe(true);
    await new Promise((resolve) =>
      host?.child.exitCode === null ? host.child.once('exit', resolve) : resolve(0),
    );

    // The stale local-host.json names a dead host: the next start proceeds on the same data.
    host = await startHostProcess({ env: { SMARTAD_HOME: home } });
    expect(host.state.pid).not.toBe(hostPid);
    await host.stop();
    host = undefined;
  });

  it('stops, Java included, when its parent process disappears', { timeout: 60_000 }, async () => {
    host = await startHostProcess({ args: ['--memory'] });
    const javaPid = host.state.dynamodb?.pid ?? 0;
    // SIGKILL the tsx wrapper: the host (its child) must notice and shut down by itself.
    host.child.kill('SIGKILL');
    expect(await waitUntilGone(host.state.pid)).toBe(true);
    expect(await waitUntilGone(javaPid)).toBe(true);
    host = undefined;
  });
});

describe('startLocalHost in-process', () => {
  const seen: { event?: APIGatewayProxyEventV2; context?: Context } = {};
  const topology: Topology = {
    routeGroups: [
      {
        name: 'echo',
        handler: 'functions/http/echo.ts',
        description: 'test double',
        routes: [
          defineRoute({
            id: 'echo',
            method: 'POST',
            path: '/api/v1/echo/{id}',
            summary: 'echo',
            tags: [],
            auth: 'public',
            rateLimit: 'standard',
            request: {},
            status: 200,
            response: z.unknown(),
          }),
        ],
        memoryMb: 512,
        timeoutSeconds: 5,
        grants: { table: 'none', keyring: false, signingKey: false },
      },
    ],
    fallback: {
      name: 'fallback',
      handler: 'functions/http/fallback-double.ts',
      description: 'test double',
      memoryMb: 256,
      timeoutSeconds: 10,
    },
    pipelineTasks: [],
    eventSources: [],
    schedules: [],
  };
  let host: LocalHost;
  const lines: string[] = [];

  beforeAll(async () => {
    host = await startLocalHost({
      memory: true,
      port: 0,
      topology,
      print: (line) => lines.push(line),
      loadHandler: async (path) => async (event, context) => {
        if (path.endsWith('fallback-double.ts')) return { statusCode: 404, body: '{}' };
        seen.event = event;
        seen.context = context;
        return { statusCode: 201, cookies: ['a=1; Path=/', 'b=2; Path=/'], body: 'done' };
      },
    });
  }, 60_000);
  afterAll(async () => {
    await host?.stop();
  });

  it('prints the endpoints, the engines and a final ready line', () => {
    expect(lines).toContain('  echo        POST /api/v1/echo/{id}');
    expect(
      lines.some((l) =>
        /^ {2}dynamodb {4}DynamoDB Local \(java, pid \d+\) at http:\/\/127\.0\.0\.1:\d+/.test(l),
      ),
    ).toBe(true);
    expect(lines.at(-1)).toBe(`ready ${host.url}`);
  });

  it('invokes the handler with a payload 2.0 event built from the real socket', async () => {
    const res = await fetch(`${host.url}/api/v1/echo/a%20b?x=1&x=2&y=`, {
      method: 'POST',
      headers: {
        'X-Forwarded-For': '203.0.113.9',
        'Content-Type': 'application/octet-stream',
        Cookie: 'c=1; d=2',
      },
      body: Buffer.from([0, 1, 2, 255]),
    });
    expect(res.status).toBe(201);
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(await res.text()).toBe('done');

    const event = seen.event as APIGatewayProxyEventV2;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /api/v1/echo/{id}',
      rawPath: '/api/v1/echo/a%20b',
      rawQueryString: 'x=1&x=2&y=',
      pathParameters: { id: 'a b' },
      queryStringParameters: { x: '1,2', y: '' },
      cookies: ['c=1', 'd=2'],
      isBase64Encoded: true,
      body: Buffer.from([0, 1, 2, 255]).toString('base64'),
      requestContext: {
        stage: '$default',
        routeKey: 'POST /api/v1/echo/{id}',
        http: { sourceIp: '127.0.0.1' },
      },
    });
    expect(event.headers['x-forwarded-for']).toBe('203.0.113.9');
    expect(event.requestContext.requestId).toBe(res.headers.get('apigw-requestid'));
    expect(seen.context?.functionName).toBe('smartad-local-echo');
    expect(seen.context?.getRemainingTimeInMillis()).toBeLessThanOrEqual(5_000);
  });

  it('sets the environment the functions read and restores it on stop', async () => {
    expect(process.env.DYNAMODB_ENDPOINT).toBe(host.dynamodb.endpoint);
    expect(process.env.KEYRING_FILE ?? process.env.KEYRING_SECRET_ID).toBeTruthy();
    expect(JSON.parse(await readFile(join(host.home, 'local-host.json'), 'utf8'))).toMatchObject({
      pid: process.pid,
      status: 'ready',
    });
  });

  it('stops the gateway and Java, removes its temporary home and restores the environment', async () => {
    const { pid } = host.dynamodb;
    const before = process.env.DYNAMODB_ENDPOINT;
    await host.stop();
    expect(isProcessAlive(pid)).toBe(false);
    expect(process.env.DYNAMODB_ENDPOINT).not.toBe(before);
    await expect(fetch(`${host.url}/api/v1/echo/x`, { method: 'POST' })).rejects.toThrow();
    await expect(readFile(join(host.home, 'local-host.json'))).rejects.toThrow();
  });
});
