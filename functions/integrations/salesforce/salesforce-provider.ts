import * as z from 'zod';
import { contactSearchTerm } from '../../core/crm/contact-search-term';
import {
  type CrmContact,
  type CrmProvider,
  type CrmRemoteRecord,
  CrmRequestError,
  type CrmTaskInput,
} from '../../core/crm/crm-provider';
import { appendRecordMarker } from '../../core/crm/crm-record-marker';
import { CrmHttpError, createCrmHttpClient } from '../crm/crm-http-client';
import { checkRemoteId } from '../crm/crm-remote-id';
import type { CrmTransportOptions } from '../crm/crm-transport-options';
import { textToNoteHtml } from './note-html';
import type { SalesforceCredentials } from './salesforce-credentials';
import { vetSalesforceDomain } from './salesforce-domain';
import {
  forgetSalesforceSession,
  type SalesforceSession,
  salesforceSession,
  salesforceSessionKey,
} from './salesforce-token-cache';
import { escapeSoqlLike, escapeSoqlString } from './soql-literal';

export { vetSalesforceDomain } from './salesforce-domain';

/** The REST API version every data call uses (Winter '25). */
export const SALESFORCE_API_VERSION = 'v62.0';
/** Field limits from the Task and ContentNote object references. */
const SUBJECT_MAX = 255;
const DESCRIPTION_MAX = 32_000;
/** Candidates per search: one response (no `nextRecordsUrl` below 2,000), more than any sane surname match. */
const CONTACT_LIMIT = 200;
/** 15- or 18-character record ids. */
const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export interface SalesforceProviderOptions extends CrmTransportOptions {
  /** Sends every call (token and data) here instead of the connection's My Domain: tests and local fakes. */
  overrideBaseUrl?: string;
}

const TokenSchema = z.object({ access_token: z.string().min(1), instance_url: z.string().min(1) });
const ContactRecordSchema = z.object({
  Id: z.string(),
  Name: z.string().nullish(),
  FirstName: z.string().nullish(),
  LastName: z.string().nullish(),
  Email: z.string().nullish(),
});
const QuerySchema = z.object({
  totalSize: z.number(),
  done: z.boolean(),
  records: z.array(ContactRecordSchema),
});
const CreatedSchema = z.object({ id: z.string(), success: z.literal(true) });
const CompositeSchema = z.object({
  compositeResponse: z.array(
    z.object({ body: z.unknown(), httpStatusCode: z.number(), referenceId: z.string() }),
  ),
});
const ErrorListSchema = z.array(z.object({ errorCode: z.string() }));
const PRIORITY = { high: 'High', medium: 'Normal', low: 'Low' } as const;
/** The org's rolling 24-hour API allowance is used up (answered 403). */
const RATE_LIMIT_CODES: ReadonlySet<string> = new Set(['REQUEST_LIMIT_EXCEEDED']);

/** The vendor's code from an error body: `[{errorCode, message}]` for data calls, `{error}` for OAuth. */
function salesforceErrorCode(body: unknown): string | undefined {
  const list = ErrorListSchema.safeParse(body);
  if (list.success) return list.data[0]?.errorCode;
  const oauth = z.object({ error: z.string() }).safeParse(body);
  return oauth.success ? oauth.data.error : undefined;
}

/**
 * Salesforce over its REST API with the OAuth 2.0 client-credentials flow (external-apis.md §7).
 *
 * - Token: `POST {My Domain}/services/oauth2/token` (form) → `{access_token, instance_url}`; cached per My Domain,
 *   client id and secret in module memory (`salesforce-token-cache.ts`); data calls go to `instance_url`, which
 *   must itself be a My Domain host. A 400/401 from the token endpoint (`invalid_client`, `invalid_grant`, …) is
 *   `auth`. A data call answered 401 `INVALID_SESSION_ID` gets a new token and is retried once.
 * - `verifyCredentials`: a fresh token (never the cached one) and `SELECT Id FROM Contact LIMIT 1`, which also
 *   proves the run-as user can read contacts; labelled with the org's host.
 * - `findContacts`: one SOQL query on Contact by surname (`Name LIKE '%…%'`) or exact email, escaped.
 * - `createNote`: an enhanced note — `ContentNote {Title, Content: base64(escaped HTML)}` — and, when linked, the
 *   `ContentDocumentLink` to the contact in the same Composite request (`allOrNone`, so a failed link leaves no
 *   orphan note, and one API call instead of two).
 * - `createTasks`: `POST sobjects/Task` one per task, `Status: "Not Started"`, priority High/Normal/Low.
 */
export function createSalesforceProvider(
  credentials: SalesforceCredentials,
  options: SalesforceProviderOptions,
): CrmProvider {
  const http = createCrmHttpClient({
    provider: 'salesforce',
    ...options,
    errorCode: salesforceErrorCode,
    rateLimitCodes: RATE_LIMIT_CODES,
  });
  const domain = vetSalesforceDomain(credentials.myDomainUrl, options.overrideBaseUrl);
  const dataPath = `/services/data/${SALESFORCE_API_VERSION}`;
  const id = (value: string, field: string) => checkRemoteId('salesforce', value, SALESFORCE_ID, field);

  function tokenOrigin(): string {
    if (!domain.ok) {
      throw new CrmRequestError(
        'salesforce',
        'rejected',
        `myDomainUrl ${domain.reason}`,
        undefined,
        'myDomainUrl',
      );
    }
    return domain.origin;
  }

  async function requestToken(origin: string): Promise<SalesforceSession> {
    let token: z.infer<typeof TokenSchema>;
    try {
      token = await http.request({
        method: 'POST',
        url: `${origin}/services/oauth2/token`,
        form: {
          grant_type: 'client_credentials',
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
        },
        idempotent: true,
        schema: TokenSchema,
      });
    } catch (error) {
      // OAuth refuses bad client credentials, a disabled app or a missing run-as user with a 400.
      if (error instanceof CrmHttpError && error.kind === 'rejected' && error.status === 400) {
        throw new CrmHttpError(
          'salesforce',
          'auth',
          error.message.replace(/^salesforce: /, ''),
          error.attempts,
          error.status,
          undefined,
          error.vendorCode,
        );
      }
      throw error;
    }
    const instance = vetSalesforceDomain(token.instance_url, options.overrideBaseUrl);
    if (!instance.ok) {
      throw new CrmHttpError(
        'salesforce',
        'unexpected_response',
        `token answer's instance_url ${instance.reason}`,
        1,
        200,
        'instance_url',
      );
    }
    return { accessToken: token.access_token, instanceUrl: instance.origin };
  }

  /** Runs `call` with the cached session; on 401 `INVALID_SESSION_ID`, once more with a new one. */
  async function withSession<T>(call: (session: SalesforceSession) => Promise<T>): Promise<T> {
    const origin = tokenOrigin();
    const key = salesforceSessionKey(origin, credentials.clientId, credentials.clientSecret);
    const session = await salesforceSession(key, () => requestToken(origin));
    try {
      return await call(session);
    } catch (error) {
      const expired =
        error instanceof CrmHttpError && error.status === 401 && error.vendorCode === 'INVALID_SESSION_ID';
      if (!expired) throw error;
      await forgetSalesforceSession(key, session);
      return call(await salesforceSession(key, () => requestToken(origin)));
    }
  }

  const bearer = (session: SalesforceSession) => ({ authorization: `Bearer ${session.accessToken}` });

  const query = (session: SalesforceSession, soql: string) =>
    http.request({
      method: 'GET',
      url: `${session.instanceUrl}${dataPath}/query`,
      query: { q: soql },
      headers: bearer(session),
      schema: QuerySchema,
    });

  async function createTask(task: CrmTaskInput): Promise<CrmRemoteRecord> {
    const description = (task.description ?? '').slice(0, DESCRIPTION_MAX - 200);
    const body = {
      Subject: task.title.slice(0, SUBJECT_MAX),
      ...(task.dueDate ? { ActivityDate: task.dueDate } : {}),
      ...(task.contactId === undefined ? {} : { WhoId: id(task.contactId, 'contactId') }),
      Description: appendRecordMarker(description, task.externalId),
      Status: 'Not Started',
      Priority: PRIORITY[task.priority],
      ...(task.assigneeId === undefined ? {} : { OwnerId: id(task.assigneeId, 'assigneeId') }),
    };
    const created = await withSession((session) =>
      http.request({
        method: 'POST',
        url: `${session.instanceUrl}${dataPath}/sobjects/Task`,
        headers: bearer(session),
        json: body,
        schema: CreatedSchema,
      }),
    );
    return { externalId: task.externalId, remoteId: created.id };
  }

  return {
    provider: 'salesforce',
    async verifyCredentials() {
      const session = await requestToken(tokenOrigin());
      await query(session, 'SELECT Id FROM Contact LIMIT 1');
      return { accountLabel: new URL(session.instanceUrl).hostname };
    },
    async findContacts(search) {
      const term = contactSearchTerm(search.name);
      const clauses: string[] = [];
      // An empty LIKE term ('%%') would match every contact in the org.
      if (term !== '') clauses.push(`Name LIKE '%${escapeSoqlLike(term)}%'`);
      if (search.email) clauses.push(`Email = '${escapeSoqlString(search.email)}'`);
      if (clauses.length === 0) return [];
      const soql =
        'SELECT Id, Name, FirstName, LastName, Email FROM Contact' +
        ` WHERE ${clauses.join(' OR ')} ORDER BY Name LIMIT ${CONTACT_LIMIT}`;
      const answer = await withSession((session) => query(session, soql));
      return answer.records.map(toContact);
    },
    async createNote(note) {
      const contactId = note.contactId === undefined ? undefined : id(note.contactId, 'contactId');
      const contentNote = {
        Title: note.subject.slice(0, SUBJECT_MAX),
        Content: Buffer.from(textToNoteHtml(appendRecordMarker(note.body, note.externalId)), 'utf8').toString(
          'base64',
        ),
      };
      if (contactId === undefined) {
        const created = await withSession((session) =>
          http.request({
            method: 'POST',
            url: `${session.instanceUrl}${dataPath}/sobjects/ContentNote`,
            headers: bearer(session),
            json: contentNote,
            schema: CreatedSchema,
          }),
        );
        return { externalId: note.externalId, remoteId: created.id };
      }
      const answer = await withSession((session) =>
        http.request({
          method: 'POST',
          url: `${session.instanceUrl}${dataPath}/composite`,
          headers: bearer(session),
          json: {
            allOrNone: true,
            compositeRequest: [
              {
                method: 'POST',
                url: `${dataPath}/sobjects/ContentNote`,
                referenceId: 'note',
                body: contentNote,
              },
              {
                method: 'POST',
                url: `${dataPath}/sobjects/ContentDocumentLink`,
                referenceId: 'link',
                body: {
                  ContentDocumentId: '@{note.id}',
                  LinkedEntityId: contactId,
                  ShareType: 'V',
                  Visibility: 'AllUsers',
                },
              },
            ],
          },
          schema: CompositeSchema,
        }),
      );
      return { externalId: note.externalId, remoteId: compositeNoteId(answer) };
    },
    async createTasks(tasks, onCreated) {
      const records: CrmRemoteRecord[] = [];
      for (const task of tasks) {
        const record = await createTask(task);
        records.push(record);
        await onCreated?.(record);
      }
      return records;
    },
  };
}

/**
 * The ContentNote id from a Composite answer. The Composite call itself answers 200 even when a part failed:
 * the first part with an error status (the others say `PROCESSING_HALTED`) is the reason it was refused.
 */
function compositeNoteId(answer: z.infer<typeof CompositeSchema>): string {
  const label = `POST ${`/services/data/${SALESFORCE_API_VERSION}`}/composite`;
  const failed = answer.compositeResponse.filter((part) => part.httpStatusCode >= 400);
  if (failed.length > 0) {
    const codes = failed.map((part) => ({ part, code: salesforceErrorCode(part.body) }));
    const cause = codes.find(({ code }) => code !== 'PROCESSING_HALTED') ?? codes[0];
    const code = cause?.code && /^[\w.:-]{1,64}$/.test(cause.code) ? cause.code : undefined;
    const status = cause?.part.httpStatusCode;
    throw new CrmHttpError(
      'salesforce',
      status === 401 || status === 403 ? 'auth' : 'rejected',
      `${label}: part '${cause?.part.referenceId}' answered ${status}${code ? ` (${code})` : ''}`,
      1,
      status,
      undefined,
      code,
    );
  }
  const index = answer.compositeResponse.findIndex((part) => part.referenceId === 'note');
  const created = CreatedSchema.safeParse(answer.compositeResponse[index]?.body);
  if (!created.success) {
    const field = index < 0 ? 'compositeResponse' : `compositeResponse.${index}.body.id`;
    throw new CrmHttpError(
      'salesforce',
      'unexpected_response',
      `${label} answered without the note's id`,
      1,
      200,
      field,
    );
  }
  return created.data.id;
}

function toContact(record: z.infer<typeof ContactRecordSchema>): CrmContact {
  const parts = [record.FirstName, record.LastName].filter((part): part is string => !!part);
  return {
    id: record.Id,
    name: record.Name || parts.join(' '),
    ...(record.FirstName ? { firstName: record.FirstName } : {}),
    ...(record.LastName ? { lastName: record.LastName } : {}),
    emails: record.Email ? [record.Email] : [],
  };
}
