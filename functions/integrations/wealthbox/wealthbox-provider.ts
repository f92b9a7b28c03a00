import * as z from 'zod';
import { contactSearchTerm } from '../../core/crm/contact-search-term';
import type { CrmContact, CrmProvider, CrmRemoteRecord, CrmTaskInput } from '../../core/crm/crm-provider';
import { appendRecordMarker } from '../../core/crm/crm-record-marker';
import { createCrmHttpClient } from '../crm/crm-http-client';
import { checkRemoteId, NUMERIC_ID } from '../crm/crm-remote-id';
import type { CrmTransportOptions } from '../crm/crm-transport-options';
import type { WealthboxCredentials } from './wealthbox-credentials';

export const WEALTHBOX_DEFAULT_BASE_URL = 'https://api.crmworkspace.com';
/** Wealthbox's `per_page` maximum. */
const PAGE_SIZE = 100;
/** A surname shared by more than 300 contacts is not going to give a unique match anyway. */
const MAX_PAGES = 3;

const MeSchema = z.object({
  id: z.number(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  current_user: z.object({ id: z.number(), name: z.string().nullish() }).nullish(),
});

const ContactSchema = z.object({
  id: z.number(),
  name: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  email_addresses: z.array(z.object({ address: z.string().nullish() })).nullish(),
});
const ContactListSchema = z.object({
  contacts: z.array(ContactSchema),
  meta: z.object({ total_count: z.number() }).nullish(),
});
const CreatedSchema = z.object({ id: z.number() });

const PRIORITY = { high: 'High', medium: 'Medium', low: 'Low' } as const;

export interface WealthboxProviderOptions extends CrmTransportOptions {
  baseUrl?: string;
}

/**
 * Wealthbox over its REST API (`/v1`), with the personal API token in the `ACCESS_TOKEN` header.
 * Sources: external-apis.md §7; `GET /v1/me` (`{id, name, email, current_user}`), contact filters, note and task
 * bodies and the `{error}` error body as used by the `wealthbox-cli` client and its tests.
 *
 * - `verifyCredentials`: `GET /v1/me`, labelled with the user's name or email.
 * - `findContacts`: `GET /v1/contacts?name=<surname>&per_page=100`, up to 3 pages (`meta.total_count`); when
 *   the name finds nobody and an email is known, one more call with `email=`.
 * - `createNote`: `POST /v1/notes {content, linked_to?}` — Wealthbox notes have no subject, so it is the first
 *   line; the `[smartad:<externalId>]` marker is the last.
 * - `createTasks`: `POST /v1/tasks` one per task; a due date becomes noon UTC of that day (the same calendar
 *   day across US time zones); no due date is `frame: "future"` (Wealthbox wants exactly one of the two).
 */
export function createWealthboxProvider(
  credentials: WealthboxCredentials,
  options: WealthboxProviderOptions,
): CrmProvider {
  const base = (options.baseUrl ?? WEALTHBOX_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const http = createCrmHttpClient({ provider: 'wealthbox', ...options });
  const headers = { ACCESS_TOKEN: credentials.apiToken };
  const id = (value: string, field: string) => Number(checkRemoteId('wealthbox', value, NUMERIC_ID, field));
  const linkedTo = (contactId: string | undefined, field: string) =>
    contactId === undefined ? {} : { linked_to: [{ id: id(contactId, field), type: 'Contact' }] };

  async function listContacts(filter: { name: string } | { email: string }): Promise<CrmContact[]> {
    const found: CrmContact[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const answer = await http.request({
        method: 'GET',
        url: `${base}/v1/contacts`,
        headers,
        query: { ...filter, page, per_page: PAGE_SIZE },
        schema: ContactListSchema,
      });
      found.push(...answer.contacts.map(toContact));
      const total = answer.meta?.total_count;
      const more = total === undefined ? answer.contacts.length === PAGE_SIZE : page * PAGE_SIZE < total;
      if (!more) break;
    }
    return found;
  }

  async function createTask(task: CrmTaskInput): Promise<CrmRemoteRecord> {
    const created = await http.request({
      method: 'POST',
      url: `${base}/v1/tasks`,
      headers,
      json: {
        name: task.title,
        ...(task.dueDate ? { due_date: `${task.dueDate}T12:00:00Z` } : { frame: 'future' }),
        description: appendRecordMarker(task.description ?? '', task.externalId),
        priority: PRIORITY[task.priority],
        ...linkedTo(task.contactId, 'contactId'),
        ...(task.assigneeId === undefined ? {} : { assigned_to: id(task.assigneeId, 'assigneeId') }),
      },
      schema: CreatedSchema,
    });
    return { externalId: task.externalId, remoteId: String(created.id) };
  }

  return {
    provider: 'wealthbox',
    async verifyCredentials() {
      const me = await http.request({ method: 'GET', url: `${base}/v1/me`, headers, schema: MeSchema });
      const label = me.current_user?.name ?? me.name ?? me.email;
      return label ? { accountLabel: label } : {};
    },
    async findContacts(query) {
      const term = contactSearchTerm(query.name);
      // An empty name filter would list the whole book of business.
      const byName = term === '' ? [] : await listContacts({ name: term });
      if (byName.length > 0 || !query.email) return byName;
      return listContacts({ email: query.email });
    },
    async createNote(note) {
      const created = await http.request({
        method: 'POST',
        url: `${base}/v1/notes`,
        headers,
        json: {
          content: appendRecordMarker(`${note.subject}\n\n${note.body}`, note.externalId),
          ...linkedTo(note.contactId, 'contactId'),
        },
        schema: CreatedSchema,
      });
      return { externalId: note.externalId, remoteId: String(created.id) };
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

function toContact(contact: z.infer<typeof ContactSchema>): CrmContact {
  const parts = [contact.first_name, contact.last_name].filter((part): part is string => !!part);
  return {
    id: String(contact.id),
    name: contact.name || parts.join(' '),
    ...(contact.first_name ? { firstName: contact.first_name } : {}),
    ...(contact.last_name ? { lastName: contact.last_name } : {}),
    emails: (contact.email_addresses ?? [])
      .map((email) => email.address)
      .filter((address): address is string => !!address),
  };
}
