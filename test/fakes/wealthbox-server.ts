import {
  type FakeCrmAnswer,
  type FakeCrmControl,
  type FakeCrmRequest,
  isRecord,
  jsonBody,
  startFakeCrmServer,
} from './crm-fake-server';

export interface FakeWealthboxContact {
  id: number;
  first_name: string;
  last_name: string;
  type?: 'Person' | 'Household' | 'Organization' | 'Trust';
  emails?: string[];
}

export interface FakeWealthboxNote {
  id: number;
  content: string;
  linked_to: { id: number; type: string }[];
}

export interface FakeWealthboxTask {
  id: number;
  name: string;
  due_date: string | null;
  frame: string | null;
  description: string | null;
  priority: string | null;
  linked_to: { id: number; type: string }[];
  assigned_to: number | null;
}

export interface FakeWealthbox extends FakeCrmControl {
  apiToken: string;
  contacts: FakeWealthboxContact[];
  notes: FakeWealthboxNote[];
  tasks: FakeWealthboxTask[];
}

export const WEALTHBOX_SEED: readonly FakeWealthboxContact[] = [
  { id: 101, first_name: 'Margaret', last_name: 'Okafor', emails: ['margaret.okafor@example.com'] },
  { id: 102, first_name: 'John', last_name: 'Smith', emails: ['john.smith@example.com'] },
  { id: 103, first_name: 'Joan', last_name: 'Smith', emails: ['joan.smith@example.net'] },
  { id: 104, first_name: 'Robert', last_name: "O'Neil", emails: [] },
];

const ME = {
  id: 7001,
  name: 'Avery Adviser',
  email: 'avery@ria.example',
  current_user: { id: 9001, name: 'Avery Adviser', account: 31965 },
};
const PRIORITIES = new Set(['Low', 'Medium', 'High']);
const FRAMES = new Set(['today', 'tomorrow', 'this_week', 'next_week', 'future', 'specific']);

/**
 * A loopback Wealthbox (`/v1`): the personal token in the `ACCESS_TOKEN` header (anything else is 401
 * `{"error": ...}`), `GET /v1/me`, `GET /v1/contacts` with the `name` (case-insensitive substring), `email`,
 * `page` and `per_page` (≤ 100) filters and `meta.total_count`, `POST /v1/notes` and `POST /v1/tasks` with the
 * documented fields (a task needs exactly one of `due_date` and `frame`; `linked_to` must name existing
 * contacts), errors as `{"error": "..."}` with 422.
 */
export async function startFakeWealthbox(
  options: { apiToken?: string; contacts?: readonly FakeWealthboxContact[] } = {},
): Promise<FakeWealthbox> {
  const apiToken = options.apiToken ?? 'wb-test-token';
  const contacts = (options.contacts ?? WEALTHBOX_SEED).map((contact) => ({ ...contact }));
  const notes: FakeWealthboxNote[] = [];
  const tasks: FakeWealthboxTask[] = [];
  let nextId = 5000;

  const contactJson = (contact: FakeWealthboxContact) => ({
    id: contact.id,
    type: contact.type ?? 'Person',
    first_name: contact.first_name,
    last_name: contact.last_name,
    name: `${contact.first_name} ${contact.last_name}`,
    email_addresses: (contact.emails ?? []).map((address, index) => ({
      id: contact.id * 10 + index,
      address,
      principal: index === 0,
      kind: 'Personal',
    })),
  });

  const unprocessable = (error: string): FakeCrmAnswer => ({ status: 422, body: { error } });

  const readLinks = (value: unknown): { id: number; type: string }[] | string => {
    if (value === undefined) return [];
    if (!Array.isArray(value)) return 'linked_to must be an array';
    const links: { id: number; type: string }[] = [];
    for (const link of value) {
      if (!isRecord(link) || typeof link.id !== 'number' || typeof link.type !== 'string') {
        return 'linked_to entries need a numeric id and a type';
      }
      if (link.type === 'Contact' && !contacts.some((c) => c.id === link.id))
        return 'linked_to names no contact';
      links.push({ id: link.id, type: link.type });
    }
    return links;
  };

  const handle = (request: FakeCrmRequest, refused: boolean): FakeCrmAnswer => {
    if (refused || request.headers.access_token !== apiToken) {
      return { status: 401, body: { error: 'Invalid or missing access token' } };
    }
    const { method, path, query } = request;
    if (method === 'GET' && path === '/v1/me') return { status: 200, body: ME };

    if (method === 'GET' && path === '/v1/contacts') {
      const page = Number(query.get('page') ?? '1');
      const perPage = Number(query.get('per_page') ?? '25');
      if (!Number.isInteger(page) || page < 1 || !Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
        return { status: 400, body: { error: 'Invalid pagination parameters' } };
      }
      const name = query.get('name')?.toLowerCase();
      const email = query.get('email')?.toLowerCase();
      const matching = contacts.filter(
        (contact) =>
          (name === undefined || `${contact.first_name} ${contact.last_name}`.toLowerCase().includes(name)) &&
          (email === undefined || (contact.emails ?? []).some((address) => address.toLowerCase() === email)),
      );
      const slice = matching.slice((page - 1) * perPage, page * perPage);
      return {
        status: 200,
        body: { contacts: slice.map(contactJson), meta: { total_count: matching.length } },
      };
    }

    if (method === 'POST' && path === '/v1/notes') {
      const body = jsonBody(request);
      if (!isRecord(body) || typeof body.content !== 'string' || body.content === '') {
        return unprocessable('content is required');
      }
      const links = readLinks(body.linked_to);
      if (typeof links === 'string') return unprocessable(links);
      const note: FakeWealthboxNote = { id: nextId++, content: body.content, linked_to: links };
      notes.push(note);
      return { status: 200, body: { ...note, creator: ME.current_user.id, visible_to: 'Everyone' } };
    }

    if (method === 'POST' && path === '/v1/tasks') {
      const body = jsonBody(request);
      if (!isRecord(body) || typeof body.name !== 'string' || body.name === '') {
        return unprocessable('name is required');
      }
      const hasDue = typeof body.due_date === 'string';
      const hasFrame = typeof body.frame === 'string';
      if (hasDue === hasFrame) return unprocessable('Provide exactly one of due_date or frame');
      if (hasDue && Number.isNaN(Date.parse(body.due_date as string)))
        return unprocessable('due_date is invalid');
      if (hasFrame && !FRAMES.has(body.frame as string)) return unprocessable('frame is invalid');
      if (body.priority !== undefined && !PRIORITIES.has(body.priority as string)) {
        return unprocessable('priority must be Low, Medium or High');
      }
      if (body.assigned_to !== undefined && typeof body.assigned_to !== 'number') {
        return unprocessable('assigned_to must be a user id');
      }
      const links = readLinks(body.linked_to);
      if (typeof links === 'string') return unprocessable(links);
      const task: FakeWealthboxTask = {
        id: nextId++,
        name: body.name,
        due_date: hasDue ? (body.due_date as string) : null,
        frame: hasFrame ? (body.frame as string) : null,
        description: typeof body.description === 'string' ? body.description : null,
        priority: typeof body.priority === 'string' ? body.priority : null,
        linked_to: links,
        assigned_to: typeof body.assigned_to === 'number' ? body.assigned_to : null,
      };
      tasks.push(task);
      return { status: 200, body: { ...task, complete: false, creator: ME.current_user.id } };
    }
    return { status: 404, body: { error: 'Not Found' } };
  };

  const control = await startFakeCrmServer({
    serverErrorBody: { error: 'Internal Server Error' },
    rateLimitBody: { error: 'Rate limit exceeded' },
    handle,
  });
  return Object.assign(control, { apiToken, contacts, notes, tasks });
}
