import { randomBytes } from 'node:crypto';
import {
  type FakeCrmAnswer,
  type FakeCrmControl,
  type FakeCrmRequest,
  isRecord,
  jsonBody,
  startFakeCrmServer,
} from './crm-fake-server';
import { parseSoql, type SoqlQuery, SoqlSyntaxError, soqlMatches } from './soql-subset';

export interface FakeSalesforceContact {
  Id: string;
  FirstName: string;
  LastName: string;
  Email: string | null;
}

export interface FakeContentNote {
  Id: string;
  Title: string;
  /** The decoded HTML. */
  html: string;
}

export interface FakeContentDocumentLink {
  Id: string;
  ContentDocumentId: string;
  LinkedEntityId: string;
  ShareType: string;
  Visibility: string | null;
}

export interface FakeSalesforceTask {
  Id: string;
  Subject: string;
  ActivityDate: string | null;
  WhoId: string | null;
  Description: string | null;
  Status: string;
  Priority: string;
  OwnerId: string | null;
}

export interface FakeSalesforce extends FakeCrmControl {
  clientId: string;
  clientSecret: string;
  apiVersion: string;
  contacts: FakeSalesforceContact[];
  notes: FakeContentNote[];
  links: FakeContentDocumentLink[];
  tasks: FakeSalesforceTask[];
  /** Every SOQL query received, as sent. */
  queries: string[];
  /** Every query that parsed, as Salesforce would read it (literals unescaped). */
  parsedQueries: SoqlQuery[];
  /** Invalidates every token issued so far: the next data call is 401 `INVALID_SESSION_ID`. */
  expireSessions(): void;
  /** How many tokens the token endpoint has issued. */
  tokensIssued(): number;
}

const API_VERSION = 'v62.0';
const sfId = (prefix: string, n: number) => `${prefix}${String(n).padStart(15, '0')}`;

export const SALESFORCE_SEED: readonly FakeSalesforceContact[] = [
  { Id: sfId('003', 1), FirstName: 'Margaret', LastName: 'Okafor', Email: 'margaret.okafor@example.com' },
  { Id: sfId('003', 2), FirstName: 'John', LastName: 'Smith', Email: 'john.smith@example.com' },
  { Id: sfId('003', 3), FirstName: 'Joan', LastName: 'Smith', Email: 'joan.smith@example.net' },
  { Id: sfId('003', 4), FirstName: 'Róisín', LastName: "O'Brien", Email: null },
  { Id: sfId('003', 5), FirstName: 'Percy', LastName: '100%_Real', Email: null },
];

const TASK_STATUSES = new Set([
  'Not Started',
  'In Progress',
  'Completed',
  'Waiting on someone else',
  'Deferred',
]);
const TASK_PRIORITIES = new Set(['High', 'Normal', 'Low']);
const FIELDS = new Set(['Id', 'Name', 'FirstName', 'LastName', 'Email']);

const sfError = (
  status: number,
  errorCode: string,
  message: string,
  fields: string[] = [],
): FakeCrmAnswer => ({
  status,
  body: [{ message, errorCode, fields }],
});

/**
 * A loopback Salesforce: `POST /services/oauth2/token` (form, `grant_type=client_credentials`; bad credentials
 * are 400 `{"error":"invalid_client"}`) answering `{access_token, instance_url: <this server>, ...}`; data calls
 * under `/services/data/v62.0` with `Authorization: Bearer` (unknown or expired tokens are 401
 * `[{"errorCode":"INVALID_SESSION_ID"}]`): `GET query?q=` over Contact (a real SOQL subset parser, so a badly
 * escaped literal is `MALFORMED_QUERY`), `POST sobjects/ContentNote|ContentDocumentLink|Task` answering 201
 * `{id, success, errors}`, and `POST composite` with `@{ref.id}` references and `allOrNone` rollback.
 */
export async function startFakeSalesforce(
  options: { contacts?: readonly FakeSalesforceContact[] } = {},
): Promise<FakeSalesforce> {
  const clientId = '3MVG9-fake-client-id';
  const clientSecret = 'fake-client-secret';
  const contacts = (options.contacts ?? SALESFORCE_SEED).map((contact) => ({ ...contact }));
  const notes: FakeContentNote[] = [];
  const links: FakeContentDocumentLink[] = [];
  const tasks: FakeSalesforceTask[] = [];
  const queries: string[] = [];
  const parsedQueries: SoqlQuery[] = [];
  const validTokens = new Set<string>();
  let issued = 0;
  let counter = 100;
  let baseUrl = '';

  const created = (id: string): FakeCrmAnswer => ({ status: 201, body: { id, success: true, errors: [] } });

  function createRecord(object: string, body: unknown): { answer: FakeCrmAnswer; undo?: () => void } {
    if (!isRecord(body))
      return { answer: sfError(400, 'JSON_PARSER_ERROR', 'The body is not a JSON object') };
    if (object === 'ContentNote') {
      if (typeof body.Title !== 'string' || body.Title === '') {
        return {
          answer: sfError(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [Title]', ['Title']),
        };
      }
      if (typeof body.Content !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(body.Content)) {
        return { answer: sfError(400, 'INVALID_FIELD', 'Content must be base64', ['Content']) };
      }
      const note = {
        Id: sfId('069', counter++),
        Title: body.Title,
        html: Buffer.from(body.Content, 'base64').toString('utf8'),
      };
      notes.push(note);
      return { answer: created(note.Id), undo: () => notes.splice(notes.indexOf(note), 1) };
    }
    if (object === 'ContentDocumentLink') {
      if (!notes.some((n) => n.Id === body.ContentDocumentId)) {
        return {
          answer: sfError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [
            'ContentDocumentId',
          ]),
        };
      }
      if (!contacts.some((c) => c.Id === body.LinkedEntityId)) {
        return {
          answer: sfError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [
            'LinkedEntityId',
          ]),
        };
      }
      if (!['V', 'C', 'I'].includes(String(body.ShareType))) {
        return {
          answer: sfError(400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'bad ShareType', ['ShareType']),
        };
      }
      const link = {
        Id: sfId('06A', counter++),
        ContentDocumentId: String(body.ContentDocumentId),
        LinkedEntityId: String(body.LinkedEntityId),
        ShareType: String(body.ShareType),
        Visibility: typeof body.Visibility === 'string' ? body.Visibility : null,
      };
      links.push(link);
      return { answer: created(link.Id), undo: () => links.splice(links.indexOf(link), 1) };
    }
    if (object === 'Task') {
      if (typeof body.Subject !== 'string' || body.Subject === '' || body.Subject.length > 255) {
        return { answer: sfError(400, 'STRING_TOO_LONG', 'Subject: 1 to 255 characters', ['Subject']) };
      }
      if (!TASK_STATUSES.has(String(body.Status))) {
        return { answer: sfError(400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'bad Status', ['Status']) };
      }
      if (!TASK_PRIORITIES.has(String(body.Priority))) {
        return {
          answer: sfError(400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'bad Priority', ['Priority']),
        };
      }
      if (body.ActivityDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(body.ActivityDate))) {
        return {
          answer: sfError(400, 'INVALID_TYPE_ON_FIELD_IN_RECORD', 'ActivityDate: bad date', ['ActivityDate']),
        };
      }
      if (body.WhoId !== undefined && !contacts.some((c) => c.Id === body.WhoId)) {
        return {
          answer: sfError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['WhoId']),
        };
      }
      if (typeof body.Description === 'string' && body.Description.length > 32_000) {
        return { answer: sfError(400, 'STRING_TOO_LONG', 'Description too long', ['Description']) };
      }
      const task: FakeSalesforceTask = {
        Id: sfId('00T', counter++),
        Subject: body.Subject,
        ActivityDate: typeof body.ActivityDate === 'string' ? body.ActivityDate : null,
        WhoId: typeof body.WhoId === 'string' ? body.WhoId : null,
        Description: typeof body.Description === 'string' ? body.Description : null,
        Status: String(body.Status),
        Priority: String(body.Priority),
        OwnerId: typeof body.OwnerId === 'string' ? body.OwnerId : null,
      };
      tasks.push(task);
      return { answer: created(task.Id), undo: () => tasks.splice(tasks.indexOf(task), 1) };
    }
    return { answer: sfError(404, 'NOT_FOUND', `The requested resource does not exist`) };
  }

  function composite(body: unknown): FakeCrmAnswer {
    if (!isRecord(body) || !Array.isArray(body.compositeRequest)) {
      return sfError(400, 'JSON_PARSER_ERROR', 'compositeRequest is required');
    }
    const ids = new Map<string, string>();
    const undos: (() => void)[] = [];
    const results: { body: unknown; httpStatusCode: number; referenceId: string; httpHeaders: object }[] = [];
    let failed = false;
    for (const part of body.compositeRequest) {
      if (!isRecord(part) || typeof part.referenceId !== 'string' || typeof part.url !== 'string') {
        return sfError(400, 'INVALID_INPUT', 'each subrequest needs method, url and referenceId');
      }
      if (failed) {
        results.push({
          body: [{ errorCode: 'PROCESSING_HALTED', message: 'halted' }],
          httpStatusCode: 400,
          referenceId: part.referenceId,
          httpHeaders: {},
        });
        continue;
      }
      const match = new RegExp(`^/services/data/${API_VERSION.replace('.', '\\.')}/sobjects/(\\w+)$`).exec(
        part.url,
      );
      const resolved = JSON.parse(
        JSON.stringify(part.body ?? null).replace(
          /@\{(\w+)\.id\}/g,
          (_, ref: string) => ids.get(ref) ?? 'UNRESOLVED',
        ),
      ) as unknown;
      const { answer, undo } =
        part.method === 'POST' && match
          ? createRecord(match[1] ?? '', resolved)
          : { answer: sfError(404, 'NOT_FOUND', 'unsupported subrequest'), undo: undefined };
      results.push({
        body: answer.body,
        httpStatusCode: answer.status,
        referenceId: part.referenceId,
        httpHeaders: {},
      });
      if (answer.status >= 400) {
        failed = body.allOrNone === true;
        continue;
      }
      if (undo) undos.push(undo);
      const id = isRecord(answer.body) ? answer.body.id : undefined;
      if (typeof id === 'string') ids.set(part.referenceId, id);
    }
    if (failed) {
      for (const undo of undos.reverse()) undo();
      for (const result of results) {
        if (result.httpStatusCode < 400) {
          result.httpStatusCode = 400;
          result.body = [{ errorCode: 'PROCESSING_HALTED', message: 'rolled back' }];
        }
      }
    }
    return { status: 200, body: { compositeResponse: results } };
  }

  const handle = (request: FakeCrmRequest, refused: boolean): FakeCrmAnswer => {
    const { method, path } = request;
    if (method === 'POST' && path === '/services/oauth2/token') {
      if (!String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
        return { status: 400, body: { error: 'invalid_request', error_description: 'must be a form' } };
      }
      const form = new URLSearchParams(request.body);
      if (form.get('grant_type') !== 'client_credentials') {
        return {
          status: 400,
          body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' },
        };
      }
      if (refused || form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
        return {
          status: 400,
          body: { error: 'invalid_client', error_description: 'invalid client credentials' },
        };
      }
      const token = `00Dfake!${randomBytes(12).toString('hex')}`;
      validTokens.add(token);
      issued++;
      return {
        status: 200,
        body: {
          access_token: token,
          signature: 'c2lnbmF0dXJl',
          scope: 'api',
          instance_url: baseUrl,
          id: `${baseUrl}/id/00D000000000001EAA/005000000000001AAA`,
          token_type: 'Bearer',
          issued_at: '1767225600000',
        },
      };
    }

    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (refused || !bearer || !validTokens.has(bearer)) {
      return sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    }
    const dataPrefix = `/services/data/${API_VERSION}`;
    if (!path.startsWith(`${dataPrefix}/`))
      return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const rest = path.slice(dataPrefix.length);

    if (method === 'GET' && rest === '/query') {
      const soql = request.query.get('q') ?? '';
      queries.push(soql);
      let parsed: ReturnType<typeof parseSoql>;
      try {
        parsed = parseSoql(soql);
        parsedQueries.push(parsed);
      } catch (error) {
        if (error instanceof SoqlSyntaxError) return sfError(400, 'MALFORMED_QUERY', error.message);
        throw error;
      }
      if (parsed.object !== 'Contact')
        return sfError(400, 'INVALID_TYPE', `sObject type '${parsed.object}' is not supported`);
      const unknown = [...parsed.fields, ...parsed.conditions.map((c) => c.field)].find(
        (f) => !FIELDS.has(f),
      );
      if (unknown) return sfError(400, 'INVALID_FIELD', `No such column '${unknown}' on entity 'Contact'`);
      const rows = contacts
        .map((c) => ({ ...c, Name: `${c.FirstName} ${c.LastName}` }))
        .filter((row) => soqlMatches(parsed, row))
        .sort((a, b) => (parsed.orderBy === 'Name' ? a.Name.localeCompare(b.Name) : 0))
        .slice(0, parsed.limit ?? 2000);
      return {
        status: 200,
        body: {
          totalSize: rows.length,
          done: true,
          records: rows.map((row) => ({
            attributes: { type: 'Contact', url: `${dataPrefix}/sobjects/Contact/${row.Id}` },
            ...Object.fromEntries(
              parsed.fields.map((field) => [field, row[field as keyof typeof row] ?? null]),
            ),
          })),
        },
      };
    }
    if (method === 'POST' && rest === '/composite') return composite(jsonBody(request));
    const sobject = /^\/sobjects\/(\w+)$/.exec(rest);
    if (method === 'POST' && sobject) return createRecord(sobject[1] ?? '', jsonBody(request)).answer;
    return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  };

  const control = await startFakeCrmServer({
    serverErrorBody: [{ message: 'An unexpected error occurred', errorCode: 'UNKNOWN_EXCEPTION' }],
    rateLimitBody: [{ message: 'Request limit exceeded', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
    handle,
  });
  baseUrl = control.baseUrl;
  return Object.assign(control, {
    clientId,
    clientSecret,
    apiVersion: API_VERSION,
    contacts,
    notes,
    links,
    tasks,
    queries,
    parsedQueries,
    expireSessions: () => validTokens.clear(),
    tokensIssued: () => issued,
  });
}
