import { readFile } from 'node:fs/promises';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorResponseSchema } from '../../functions/platform/http/error-response-schema';
import { localDynamoClient } from '../../lib/local/dynamo-engine';
import { type LocalHost, startLocalHost } from '../../lib/local/local-host';
import { findFreePort } from '../../lib/local/port-check';
import { type ApiClient, apiClient } from '../support/api-client';
import { addUser, registerFirm } from '../support/identity-helpers';
import {
  type FuzzOperation,
  hostileValue,
  type OpenApiDocument,
  operationsOf,
  valueFor,
} from '../support/openapi-arbitraries';
import { processedMeeting, uploadedTranscript } from '../support/processed-meeting';

/**
 * Requests derived from the OpenAPI document for every route — shaped, boundary and hostile bodies, query
 * strings, path ids and headers, malformed JSON and wrong content types — sent as every role of one firm, as
 * another firm's admin and as no one, against a local host of its own. Every answer must be below 500; every 4xx
 * must have the documented error shape with a request id; no answer may carry a secret or the other firm's data;
 * and a refused request must leave the store as it was. Seeded: a failure prints the seed and the request, and
 * `FUZZ_SEED=<seed> npx vitest run test/integration/api-fuzz.test.ts` replays it.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261208);
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const MARK_A = `fuzz-firm-a-${Date.now().toString(36)}`;
const MARK_B = `fuzz-firm-b-${Date.now().toString(36)}`;

type Persona = 'none' | 'forged' | 'a-admin' | 'a-advisor' | 'a-assistant' | 'a-compliance' | 'b-admin';
const PERSONAS: readonly Persona[] = [
  'none',
  'forged',
  'a-admin',
  'a-advisor',
  'a-assistant',
  'a-compliance',
  'b-admin',
];

let host: LocalHost;
let api: ApiClient;
let operations: FuzzOperation[];
let doc: OpenApiDocument;
const tokens = new Map<Persona, string>();
const ids: Record<string, string[]> = {};
const secrets: string[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  // Thousands of requests: the access log would bury the test output; a failure message carries the exchange.
  Object.assign(process.env, {
    LOG_LEVEL: 'error',
    RATE_LIMIT_AUTH: '100000/60',
    RATE_LIMIT_AI: '100000/60',
    RATE_LIMIT_STANDARD: '100000/60',
    RATE_LIMIT_STANDARD_FIRM: '100000/60',
  });
  host = await startLocalHost({ memory: true, port: await findFreePort(), print: () => undefined });
  api = apiClient(host.url);
  doc = (await api.get('/api/v1/openapi.json')).body as unknown as OpenApiDocument;
  operations = operationsOf(doc);

  const a = await registerFirm(MARK_A, api);
  const advisor = await addUser(a.token, 'advisor', 'fuzz-advisor', api);
  const assistant = await addUser(a.token, 'assistant', 'fuzz-assistant', api);
  const compliance = await addUser(a.token, 'compliance', 'fuzz-compliance', api);
  expect(
    (await api.put(`/api/v1/users/${assistant.userId}/advisors`, { advisor_ids: [advisor.userId] }, a.token))
      .status,
  ).toBe(200);
  const b = await registerFirm(MARK_B, api);
  tokens.set('a-admin', a.token);
  tokens.set('a-advisor', advisor.token);
  tokens.set('a-assistant', assistant.token);
  tokens.set('a-compliance', compliance.token);
  tokens.set('b-admin', b.token);

  const meetingA = await processedMeeting(api, advisor.token, 'meeting-01', `Review ${MARK_A}`);
  const meetingB = await uploadedTranscript(api, b.token, 'meeting-02', `Review ${MARK_B}`);
  const details = await api.get<{
    extraction: { action_items: { id: string }[]; compliance_flags: { id: string }[] };
  }>(`/api/v1/meetings/${meetingA}`, advisor.token);
  const zoomSecret = `zoom-secret-${MARK_A}-0123456789abcdef`;
  const zoom = await api.put(
    '/api/v1/integrations/zoom',
    {
      platform: 'zoom',
      account_id: 'fuzz-account',
      webhook_secret_token: zoomSecret,
      advisor_mappings: [{ platform_user: 'zoom-user-1', advisor_user_id: advisor.userId }],
    },
    a.token,
  );
  expect(zoom.status).toBe(200);
  await host.eventsIdle();

  Object.assign(ids, {
    meetingId: [meetingA, meetingB],
    itemId: details.body.extraction.action_items.map((i) => i.id).slice(0, 2),
    flagId: details.body.extraction.compliance_flags.map((f) => f.id).slice(0, 2),
    userId: [a.userId, advisor.userId, assistant.userId, compliance.userId, b.userId],
    platform: ['zoom', 'teams', 'meet'],
    provider: ['wealthbox', 'redtail', 'salesforce'],
    token: ['0'.repeat(48)],
  });
  const keyMaterial = [
    ...(await secretStrings(host.env.SIGNING_KEY_FILE)),
    ...(await secretStrings(host.env.KEYRING_FILE)),
  ];
  expect(keyMaterial.length).toBeGreaterThanOrEqual(2);
  secrets.push(
    zoomSecret,
    ...keyMaterial,
    ...[a, b].map((f) => f.tokens.refresh_token),
    ...[advisor, assistant, compliance].map((u) => u.tokens.refresh_token),
  );
}, 180_000);

afterAll(async () => {
  await host?.stop();
  process.env = saved;
});

/** Every string of at least 16 characters in a secret's JSON document (key material, not field names). */
async function secretStrings(file: string | undefined): Promise<string[]> {
  expect(file, 'the local host keeps its secrets in files').toBeTruthy();
  const found: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string' && value.length >= 16) found.push(value);
    else if (value && typeof value === 'object') for (const child of Object.values(value)) walk(child);
  };
  walk(JSON.parse(await readFile(file as string, 'utf8')));
  return found;
}

/**
 * The table as text per item, without what a refused request may rightly change: rate-limit windows (a refused
 * request still counts) and the audit trails (a failed sign-in is audited, and the
 * chain writer links events meanwhile).
 */
async function storeSnapshot(): Promise<Map<string, string>> {
  const client = localDynamoClient(host.dynamodb.endpoint);
  const items = new Map<string, string>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: host.config.tableName, ExclusiveStartKey: start as never }),
    );
    for (const item of page.Items ?? []) {
      const pk = item.pk?.S ?? '';
      if (pk.startsWith('G#RATE#') || pk.startsWith('G#AUDIT#') || pk.endsWith('#AUDIT')) continue;
      items.set(`${pk}|${item.sk?.S ?? ''}`, JSON.stringify(item));
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

function changesBetween(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const [key, value] of after) if (before.get(key) !== value) changed.push(key);
  for (const key of before.keys()) if (!after.has(key)) changed.push(`${key} (deleted)`);
  return changed;
}

interface FuzzRequest {
  op: FuzzOperation;
  persona: Persona;
  path: string;
  query: string;
  body: string | undefined;
  contentType: string | undefined;
  headers: Record<string, string>;
}

const fuzzString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('..', '.', '%2e%2e', 'a/b', 'a%2Fb', '%00', ' ', 'null', 'undefined', 'x'.repeat(2_000)),
);

function encodeSegment(value: string, raw: boolean): string {
  if (raw && /^[\w.%-]*$/.test(value)) return value;
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80'; // a lone surrogate, as its UTF-8 bytes
  }
}

const forgedTokens = fc.constantFrom(
  'Bearer not-a-token',
  'Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIn0.',
  'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
  'Basic YWRtaW46YWRtaW4=',
  'Bearer ',
  `Bearer ${'a'.repeat(4_000)}`,
);

const malformedBodies = fc.constantFrom(
  '{',
  '{"a":',
  'nul',
  '\u0000',
  '\ufeff{}',
  '[]',
  'null',
  '"string"',
  '12',
  '{"a":1,"a":2}',
  '{"__proto__":{"role":"admin"}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  `{"a":"${'\\u0000'.repeat(100)}"}`,
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  `{"big":"${'x'.repeat(2_000_000)}"}`,
);

const contentTypes = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      'APPLICATION/JSON',
      'application/jsonx',
      undefined,
    ),
  },
);

function requestFor(op: FuzzOperation): fc.Arbitrary<FuzzRequest> {
  const param = (name: string) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...(ids[name] ?? ['x'])) },
      { weight: 1, arbitrary: fuzzString },
    );
  const pathArb = fc
    .tuple(fc.tuple(...op.pathParams.map(param)), fc.boolean())
    .map(([values, raw]) =>
      op.pathParams.reduce(
        (path, name, i) => path.replace(`{${name}}`, encodeSegment(String(values[i]), raw)),
        op.path,
      ),
    );
  const queryArb = fc
    .array(
      fc.oneof(
        ...(op.query.length > 0
          ? [
              fc
                .tuple(fc.constantFrom(...op.query), fc.boolean())
                .chain(([q, shaped]) =>
                  (shaped ? valueFor(q.schema, doc) : hostileValue).map((v) => [q.name, v] as const),
                ),
            ]
          : []),
        fc.tuple(fc.constantFrom('unknown', '__proto__', 'limit', 'cursor', 'a[b]'), fuzzString),
      ),
      { maxLength: 4 },
    )
    .map((pairs) =>
      pairs
        .map(([k, v]) => {
          const text = typeof v === 'string' ? v : JSON.stringify(v);
          return `${encodeSegment(k, false)}=${encodeSegment(String(text).slice(0, 3_000), false)}`;
        })
        .join('&'),
    );
  const bodyArb: fc.Arbitrary<string | undefined> = op.body
    ? fc.oneof(
        { weight: 6, arbitrary: valueFor(op.body, doc).map((v) => JSON.stringify(v)) },
        { weight: 2, arbitrary: malformedBodies },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
        { weight: 1, arbitrary: fc.constant(undefined) },
      )
    : fc.oneof(
        { weight: 8, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: malformedBodies },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
      );
  const headerArb: fc.Arbitrary<Record<string, string>> = fc.oneof(
    { weight: 6, arbitrary: fc.constant({}) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Record<string, string>>(
        { 'x-fuzz': 'a'.repeat(8_000) },
        { 'x-request-id': 'x'.repeat(500) },
        { 'x-forwarded-for': '999.1.1.1, ::g, <script>' },
        { 'x-correlation-id': '../../etc' },
        { accept: 'text/html' },
      ),
    },
  );
  return fc
    .record({
      op: fc.constant(op),
      persona: fc.constantFrom(...PERSONAS),
      path: pathArb,
      query: queryArb,
      body: bodyArb,
      contentType: contentTypes,
      headers: headerArb,
      forged: forgedTokens,
    })
    .map(({ forged, ...request }) => {
      const headers = { ...request.headers };
      const token = tokens.get(request.persona);
      if (request.persona === 'forged') headers.authorization = forged;
      else if (token) headers.authorization = `Bearer ${token}`;
      return { ...request, headers };
    });
}

/**
 * API Gateway (HTTP API) refuses a request whose request line and headers exceed 10,240 bytes; the local host's
 * server refuses at 16 KB. Requests between the two never reach a function on AWS.
 */
const GATEWAY_HEAD_LIMIT = 10_240;

function headBytes(r: FuzzRequest): number {
  const line = `${r.op.method} ${r.path}${r.query ? `?${r.query}` : ''} HTTP/1.1`.length;
  return Object.entries(r.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, line);
}

/** What a request looks like in a failure message: enough to replay it, with long values cut. */
function describeRequest(r: FuzzRequest): string {
  const cut = (s: string | undefined) =>
    s && s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s;
  return JSON.stringify({
    operation: r.op.id,
    persona: r.persona,
    method: r.op.method,
    url: cut(`${r.path}${r.query ? `?${r.query}` : ''}`),
    contentType: r.contentType,
    body: cut(r.body),
    headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, cut(v)])),
  });
}

describe('the API under fuzzed requests', () => {
  it(`answers ${RUNS} requests derived from the OpenAPI document without a 5xx, a leak or a change on refusal`, async () => {
    const statuses = new Map<number, number>();
    const covered = new Set<string>();
    let before = await storeSnapshot();
    let sent = 0;
    const property = fc.asyncProperty(fc.constantFrom(...operations).chain(requestFor), async (r) => {
      sent += 1;
      const headers: Record<string, string> = { ...r.headers };
      if (r.contentType && r.body !== undefined) headers['content-type'] = r.contentType;
      const res = await fetch(`${host.url}${r.path}${r.query ? `?${r.query}` : ''}`, {
        method: r.op.method,
        headers,
        ...(r.body !== undefined && r.op.method !== 'GET' ? { body: r.body } : {}),
      });
      const text = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      covered.add(`${r.op.id} ${res.status}`);
      const what = `${describeRequest(r)}\n→ ${res.status} ${text.slice(0, 500)}`;

      expect(res.status, `a 5xx: ${what}`).toBeLessThan(500);
      for (const secret of secrets)
        expect(text.includes(secret), `a secret in the answer: ${what}`).toBe(false);
      const foreign =
        r.persona === 'b-admin' ? [MARK_A] : r.persona.startsWith('a-') ? [MARK_B] : [MARK_A, MARK_B];
      for (const mark of foreign) expect(text.includes(mark), `another firm's data: ${what}`).toBe(false);

      const after = await storeSnapshot();
      if (headBytes(r) > GATEWAY_HEAD_LIMIT && res.status === 431) {
        // Beyond API Gateway's limit the gateway refuses it before any function runs, in its own words.
        expect(changesBetween(before, after), `a refused request changed the store: ${what}`).toEqual([]);
      } else if (res.status >= 400) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
        const shape = ErrorResponseSchema.safeParse(parsed);
        expect(shape.success, `an error answer not in the documented shape: ${what}`).toBe(true);
        expect(shape.data?.error.request_id, `an error answer without a request id: ${what}`).toBeTruthy();
        expect(changesBetween(before, after), `a refused request changed the store: ${what}`).toEqual([]);
      }
      before = after;
    });
    await fc.assert(property, { seed: SEED, numRuns: RUNS, endOnFailure: true });

    console.log(
      `api fuzz: seed ${SEED}, ${sent} requests over ${operations.length} operations; answers ${[...statuses]
        .sort(([x], [y]) => x - y)
        .map(([s, n]) => `${s}×${n}`)
        .join(', ')}`,
    );
    // Every operation was reached (a run long enough to: a short replay may not), and not all refused at the door.
    if (RUNS >= 20 * operations.length) {
      expect(new Set([...covered].map((c) => c.split(' ')[0])).size).toBe(operations.length);
    }
    expect([...statuses].some(([s]) => s >= 200 && s < 300)).toBe(true);
    expect([...statuses].some(([s]) => s === 400)).toBe(true);

    // The trail took every audited change of the run and still verifies.
    await host.eventsIdle();
    const audit = await api.settledAudit<{ chain: { verified: boolean } }>(
      '/api/v1/audit?limit=1&verify=full',
      tokens.get('a-admin') as string,
    );
    expect(audit.body.chain.verified).toBe(true);
  }, 900_000);
});
