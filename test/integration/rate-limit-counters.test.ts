import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRateLimitGate, leaseSize } from '../../functions/adapters/store/rate-limit-counters';
import { RateLimitedError } from '../../functions/platform/http/errors';
import type { RateLimitGate } from '../../functions/platform/http/http-handler';
import { ensureLocalTable } from '../../lib/local/create-local-table';
import { type DynamoEngine, localDynamoClient, startDynamoEngine } from '../../lib/local/dynamo-engine';

const TABLE = 'rate-limit-test';
/** 10 s into a 60 s window (windows are aligned to the epoch), so 50 s remain. */
const WINDOW_START = Date.UTC(2031, 0, 1, 0, 0, 0);
let engine: DynamoEngine;
let raw: DynamoDBDocumentClient;
let clock: number;
let gate: RateLimitGate;

beforeAll(async () => {
  engine = await startDynamoEngine();
  const client = localDynamoClient(engine.endpoint);
  await ensureLocalTable(client, TABLE);
  raw = DynamoDBDocumentClient.from(client);
  gate = createRateLimitGate({
    client: raw,
    tableName: TABLE,
    limits: {
      auth: { limit: 5, windowSeconds: 60 },
      ai: { limit: 3, windowSeconds: 30 },
      standard: { limit: 4, windowSeconds: 60 },
      standardFirm: { limit: 6, windowSeconds: 60 },
    },
    now: () => clock,
  });
});

afterAll(async () => {
  await engine?.stop();
});

beforeEach(() => {
  clock = WINDOW_START + 10_000;
});

/** How many of `calls` passed and the errors of those that did not. */
async function settle(calls: Promise<void>[]) {
  const results = await Promise.allSettled(calls);
  return {
    passed: results.filter((r) => r.status === 'fulfilled').length,
    errors: results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : [])),
  };
}

async function callTimes(limitClass: 'auth' | 'ai', subject: string, times: number) {
  for (let i = 0; i < times; i += 1) await gate.check(limitClass, subject);
}

describe('rate-limit gate against DynamoDB Local', () => {
  it('lets 5 calls through and refuses the 6th with the rest of the window as Retry-After', async () => {
    await callTimes('auth', 'ip:198.51.100.1', 5);
    const refused = await gate.check('auth', 'ip:198.51.100.1').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBe(50);
    clock += 29_500;
    const later = await gate.check('auth', 'ip:198.51.100.1').catch((error: unknown) => error);
    expect((later as RateLimitedError).retryAfterSeconds).toBe(21);
  });

  it('lets calls through again once the clock moves past the window', async () => {
    await callTimes('auth', 'ip:198.51.100.2', 5);
    await expect(gate.check('auth', 'ip:198.51.100.2')).rejects.toThrow(RateLimitedError);
    clock = WINDOW_START + 60_000;
    await expect(callTimes('auth', 'ip:198.51.100.2', 5)).resolves.toBeUndefined();
    await expect(gate.check('auth', 'ip:198.51.100.2')).rejects.toThrow(RateLimitedError);
  });

  it('counts two subjects independently', async () => {
    await callTimes('auth', 'ip:198.51.100.3', 5);
    await expect(gate.check('auth', 'ip:198.51.100.3')).rejects.toThrow(RateLimitedError);
    await expect(callTimes('auth', 'ip:198.51.100.4', 5)).resolves.toBeUndefined();
  });

  it('counts the two classes independently, each with its own limit and window', async () => {
    await callTimes('auth', 'user:firm-a/u-1', 5);
    await expect(gate.check('auth', 'user:firm-a/u-1')).rejects.toThrow(RateLimitedError);
    await callTimes('ai', 'user:firm-a/u-1', 3);
    const refused = await gate.check('ai', 'user:firm-a/u-1').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    // 30 s windows: 10 s into the window starting at WINDOW_START leaves 20 s.
    expect((refused as RateLimitedError).retryAfterSeconds).toBe(20);
  });

  it('holds the standard class per user and the firm-wide total over all its users', async () => {
    // Two users of one firm, as the edge counts a standard route: each under its own limit of 4 ...
    for (const user of ['u-1', 'u-2']) {
      for (let i = 0; i < 3; i += 1) {
        await gate.check('standard', `user:firm-s/${user}`);
        await gate.check('standardFirm', 'firm:firm-s');
      }
    }
    // ... but the firm has used its 6: the next call of either is refused by the firm counter alone.
    await expect(gate.check('standard', 'user:firm-s/u-1')).resolves.toBeUndefined();
    await expect(gate.check('standardFirm', 'firm:firm-s')).rejects.toThrow(RateLimitedError);
    await expect(gate.check('standard', 'user:firm-s/u-1')).rejects.toThrow(RateLimitedError);
    await expect(gate.check('standardFirm', 'firm:firm-t')).resolves.toBeUndefined();
  });

  it('lets exactly the limit through when 20 calls for one subject arrive at once', async () => {
    const { passed, errors } = await settle(
      Array.from({ length: 20 }, () => gate.check('auth', 'ip:198.51.100.5')),
    );
    expect(passed).toBe(5);
    expect(errors).toHaveLength(15);
    for (const error of errors) expect(error).toBeInstanceOf(RateLimitedError);
  });

  it('stores counters with a TTL just past their window and no plaintext subject anywhere', async () => {
    await gate.check('auth', 'ip:203.0.113.77');
    await gate.check('ai', 'user:firm-z/secret-user');
    const { Items = [] } = await raw.send(new ScanCommand({ TableName: TABLE }));
    expect(Items.length).toBeGreaterThan(0);
    for (const item of Items) {
      expect(item.pk).toMatch(/^G#RATE#(auth|ai|standard|standardFirm)#[0-9a-f]{64}$/);
      expect(item.sk).toMatch(/^W#\d+$/);
      const windowStart = Number(String(item.sk).slice(2));
      expect(item.expires_at).toBeGreaterThan(windowStart);
      expect(item.expires_at).toBeLessThanOrEqual(windowStart + 60 + 300);
    }
    const dump = JSON.stringify(Items);
    expect(dump).not.toContain('203.0.113.77');
    expect(dump).not.toContain('secret-user');
    expect(dump).not.toContain('firm-z');
  });

  it('keeps the first TTL of a window when later calls count against it', async () => {
    await gate.check('auth', 'ip:198.51.100.6');
    const before = await scanFor('198.51.100.6');
    clock += 5_000;
    await gate.check('auth', 'ip:198.51.100.6');
    const after = await scanFor('198.51.100.6');
    expect(after.count).toBe(2);
    expect(after.expires_at).toBe(before.expires_at);
  });

  it('spends standard calls from leases: two instances let exactly the limit through, with a write per lease', async () => {
    let writes = 0;
    const counting = {
      send: (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
        writes += 1;
        return raw.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const limits = {
      auth: { limit: 5, windowSeconds: 60 },
      ai: { limit: 5, windowSeconds: 60 },
      standard: { limit: 500, windowSeconds: 60 },
      standardFirm: { limit: 5000, windowSeconds: 60 },
    };
    expect(leaseSize('standard', 500)).toBe(10);
    const instances = [1, 2].map(() =>
      createRateLimitGate({ client: counting, tableName: TABLE, limits, now: () => clock }),
    );
    const { passed, errors } = await settle(
      Array.from({ length: 600 }, (_v, i) =>
        (instances[i % 2] as RateLimitGate).check('standard', 'user:firm-l/u-lease'),
      ),
    );
    expect(passed).toBe(500);
    expect(errors).toHaveLength(100);
    expect(errors.every((e) => e instanceof RateLimitedError)).toBe(true);
    // 50 leases of 10, plus at most one refused claim per instance.
    expect(writes).toBeLessThanOrEqual(52);
    expect(leaseSize('auth', 5000)).toBe(1);
    expect(leaseSize('standardFirm', 1_000_000)).toBe(100);
  });

  it('fails closed: a DynamoDB error propagates instead of letting the call through', async () => {
    const broken = createRateLimitGate({
      client: raw,
      tableName: 'no-such-table',
      limits: {
        auth: { limit: 5, windowSeconds: 60 },
        ai: { limit: 5, windowSeconds: 60 },
        standard: { limit: 5, windowSeconds: 60 },
        standardFirm: { limit: 5, windowSeconds: 60 },
      },
      now: () => clock,
    });
    await expect(broken.check('auth', 'ip:198.51.100.7')).rejects.toThrow(/resource not found|non-existent/i);
  });
});

/** The counter item of an `auth` subject `ip:<ip>` in the current window, found by its hashed key. */
async function scanFor(ip: string): Promise<Record<string, unknown>> {
  const { createHash } = await import('node:crypto');
  const pk = `G#RATE#auth#${createHash('sha256').update(`ip:${ip}`).digest('hex')}`;
  const { Items = [] } = await raw.send(
    new ScanCommand({
      TableName: TABLE,
      FilterExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  expect(Items).toHaveLength(1);
  return Items[0] as Record<string, unknown>;
}
