import * as z from 'zod';
import { contactSearchTerm } from '../../core/crm/contact-search-term';
import {
  type CrmContact,
  type CrmProvider,
  type CrmRemoteRecord,
  type CrmTaskInput,
  CrmUnsupportedError,
} from '../../core/crm/crm-provider';
import { appendRecordMarker } from '../../core/crm/crm-record-marker';
import { createCrmHttpClient } from '../crm/crm-http-client';
import { checkRemoteId, NUMERIC_ID } from '../crm/crm-remote-id';
import type { CrmTransportOptions } from '../crm/crm-transport-options';
import type { RedtailCredentials } from './redtail-credentials';

export const REDTAIL_DEFAULT_BASE_URL = 'https://crm.redtailtechnology.com/api/public/v1';

export interface RedtailProviderOptions extends CrmTransportOptions {
  baseUrl?: string;
}

/** Both documented shapes of `GET /authentication`: the user key at the top level or under `authenticated_user`. */
const AuthenticationSchema = z.union([
  z.object({ user_key: z.string().min(1) }),
  z.object({ authenticated_user: z.object({ user_key: z.string().min(1) }) }),
]);
const CategoriesSchema = z.object({ categories: z.array(z.object({ id: z.number() })) });
const ContactSchema = z.object({
  id: z.number(),
  first_name: z.string().nullish(),
  middle_name: z.string().nullish(),
  last_name: z.string().nullish(),
  full_name: z.string().nullish(),
});
const ContactSearchSchema = z.object({ contacts: z.array(ContactSchema) });
const NoteCreatedSchema = z.object({ note: z.object({ id: z.number() }) });
const ActivityCreatedSchema = z.object({ activity: z.object({ id: z.number() }) });

/** Redtail's `note_type` for a plain note, as both public integrations that write notes send it. */
const NOTE_TYPE_NOTE = 1;
const ATTENDEE_USER = 'Crm::Activity::Attendee::User';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const trimBase = (url: string) => url.replace(/\/+$/, '');

/**
 * Exchanges an adviser's Redtail username and password for the user key stored on the connection (the password
 * is used for this one call and never stored): `GET /authentication` with
 * `Authorization: Basic base64(apiKey:username:password)`. A 401 is `CrmRequestError` kind `auth`.
 */
export async function exchangeRedtailUserKey(
  login: { apiKey: string; username: string; password: string },
  options: RedtailProviderOptions,
): Promise<{ userKey: string }> {
  const http = createCrmHttpClient({ provider: 'redtail', ...options });
  const answer = await http.request({
    method: 'GET',
    url: `${trimBase(options.baseUrl ?? REDTAIL_DEFAULT_BASE_URL)}/authentication`,
    headers: { authorization: `Basic ${base64(`${login.apiKey}:${login.username}:${login.password}`)}` },
    schema: AuthenticationSchema,
  });
  return { userKey: 'user_key' in answer ? answer.user_key : answer.authenticated_user.user_key };
}

/**
 * Redtail over TWAPI (`/api/public/v1`) with `Authorization: Userkeyauth base64(apiKey:userKey)`. A 401 means the
 * user key was revoked or the password changed: `auth`, not retried — the adviser reconnects.
 *
 * What is confirmed and what is assumed (sources: external-apis.md §7; RingCentral App Connect's Redtail
 * connector and its tests, the Sim Studio Redtail tools, and a public PHP integration — no vendor page was
 * readable):
 * - Confirmed by those integrations (not by a vendor page): `GET /authentication` (both shapes); `GET /lists/categories` → `{categories:[{id,name,deleted}]}`
 *   (used here as the cheap `verifyCredentials` call); `GET /contacts/search_basic?name=` → `{contacts:[{id,
 *   first_name, middle_name, last_name, full_name}]}`, which matches first, last or full names;
 *   `POST /contacts/{id}/notes {body, category_id, note_type, pinned, draft}` (the answer read as `{note:{id}}`,
 *   as the Sim Studio tool reads it);
 *   `POST /activities {subject, description, start_date, end_date, repeats:"never", linked_contacts:
 *   [{contact_id}], attendees:[{type:"Crm::Activity::Attendee::User", user_id}]}` → `{activity:{id}}`.
 * - Assumed: `search_basic` returns no email addresses (none appear in any observed answer), so contacts carry
 *   `emails: []` and matching by email is not possible here; one page of results (no pagination was observed);
 *   `category_id` and `activity_code_id` may be omitted (account-specific lists; the PHP integration omits them);
 *   an activity without dates is accepted — with a due date, start and end are noon UTC of that day; activities
 *   have no priority field in the JSON API that we could confirm, so the priority is written into the
 *   description (`Priority: High`).
 * - Redtail notes belong to a contact: an unlinked note is `CrmUnsupportedError`.
 */
export function createRedtailProvider(
  credentials: RedtailCredentials,
  options: RedtailProviderOptions,
): CrmProvider {
  const base = trimBase(options.baseUrl ?? REDTAIL_DEFAULT_BASE_URL);
  const http = createCrmHttpClient({ provider: 'redtail', ...options });
  const headers = { authorization: `Userkeyauth ${base64(`${credentials.apiKey}:${credentials.userKey}`)}` };
  const id = (value: string, field: string) => Number(checkRemoteId('redtail', value, NUMERIC_ID, field));

  async function createActivity(task: CrmTaskInput): Promise<CrmRemoteRecord> {
    const at = task.dueDate ? `${task.dueDate}T12:00:00.000Z` : undefined;
    const description = [task.description?.trim(), `Priority: ${capitalise(task.priority)}`]
      .filter((line): line is string => !!line)
      .join('\n\n');
    const created = await http.request({
      method: 'POST',
      url: `${base}/activities`,
      headers,
      json: {
        subject: task.title,
        description: appendRecordMarker(description, task.externalId),
        ...(at ? { start_date: at, end_date: at } : {}),
        repeats: 'never',
        ...(task.contactId === undefined
          ? {}
          : { linked_contacts: [{ contact_id: id(task.contactId, 'contactId') }] }),
        ...(task.assigneeId === undefined
          ? {}
          : { attendees: [{ type: ATTENDEE_USER, user_id: id(task.assigneeId, 'assigneeId') }] }),
      },
      schema: ActivityCreatedSchema,
    });
    return { externalId: task.externalId, remoteId: String(created.activity.id) };
  }

  return {
    provider: 'redtail',
    async verifyCredentials() {
      await http.request({
        method: 'GET',
        url: `${base}/lists/categories`,
        headers,
        schema: CategoriesSchema,
      });
      return {};
    },
    async findContacts(query) {
      const term = contactSearchTerm(query.name);
      if (term === '') return [];
      const answer = await http.request({
        method: 'GET',
        url: `${base}/contacts/search_basic`,
        headers,
        query: { name: term },
        schema: ContactSearchSchema,
      });
      return answer.contacts.map(toContact);
    },
    async createNote(note) {
      if (note.contactId === undefined) {
        throw new CrmUnsupportedError(
          'redtail',
          'Redtail notes belong to a contact; an unlinked note cannot be created.',
        );
      }
      const created = await http.request({
        method: 'POST',
        url: `${base}/contacts/${id(note.contactId, 'contactId')}/notes`,
        headers,
        json: {
          body: appendRecordMarker(`${note.subject}\n\n${note.body}`, note.externalId),
          note_type: NOTE_TYPE_NOTE,
          pinned: false,
          draft: false,
        },
        schema: NoteCreatedSchema,
      });
      return { externalId: note.externalId, remoteId: String(created.note.id) };
    },
    async createTasks(tasks, onCreated) {
      const records: CrmRemoteRecord[] = [];
      for (const task of tasks) {
        const record = await createActivity(task);
        records.push(record);
        await onCreated?.(record);
      }
      return records;
    },
  };
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function toContact(contact: z.infer<typeof ContactSchema>): CrmContact {
  const parts = [contact.first_name, contact.middle_name, contact.last_name].filter(
    (part): part is string => !!part,
  );
  return {
    id: String(contact.id),
    name: contact.full_name || parts.join(' '),
    ...(contact.first_name ? { firstName: contact.first_name } : {}),
    ...(contact.last_name ? { lastName: contact.last_name } : {}),
    emails: [],
  };
}
