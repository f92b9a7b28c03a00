import {
  type FakeCrmAnswer,
  type FakeCrmControl,
  type FakeCrmRequest,
  isRecord,
  jsonBody,
  startFakeCrmServer,
} from './crm-fake-server';

export interface FakeRedtailContact {
  id: number;
  first_name: string;
  middle_name?: string;
  last_name: string;
}

export interface FakeRedtailNote {
  id: number;
  contact_id: number;
  body: string;
  category_id: number | null;
  note_type: number;
  pinned: boolean;
  draft: boolean;
}

export interface FakeRedtailActivity {
  id: number;
  subject: string;
  description: string | null;
  start_date: string | null;
  end_date: string | null;
  linked_contacts: { contact_id: number }[];
  attendees: { type: string; user_id: number }[];
}

export interface FakeRedtail extends FakeCrmControl {
  apiKey: string;
  username: string;
  password: string;
  userKey: string;
  contacts: FakeRedtailContact[];
  notes: FakeRedtailNote[];
  activities: FakeRedtailActivity[];
  /** Which documented shape `GET /authentication` answers with. */
  setAuthenticationShape(shape: 'authenticated_user' | 'top_level'): void;
}

export const REDTAIL_SEED: readonly FakeRedtailContact[] = [
  { id: 201, first_name: 'Margaret', last_name: 'Okafor' },
  { id: 202, first_name: 'John', middle_name: 'Q', last_name: 'Smith' },
  { id: 203, first_name: 'Joan', last_name: 'Smith' },
];

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * A loopback Redtail TWAPI (`/api/public/v1` is the base URL's path, so the fake serves from its root, like the
 * configured base URL would): `GET /authentication` with `Basic base64(apiKey:username:password)` answering
 * `{authenticated_user: {user_key, ...}}` or the top-level `{user_key, ...}` shape; every other call wants
 * `Userkeyauth base64(apiKey:userKey)` (a case-insensitive scheme, as Redtail accepts) or gets 401
 * `{"message": ...}`. `GET /lists/categories`, `GET /contacts/search_basic?name=` (first, last or full name,
 * case-insensitive), `POST /contacts/{id}/notes`, `POST /activities`. Validation errors are 422 `{"message"}`.
 */
export async function startFakeRedtail(
  options: { contacts?: readonly FakeRedtailContact[] } = {},
): Promise<FakeRedtail> {
  const apiKey = 'rt-api-key';
  const username = 'avery';
  const password = 'correct horse battery staple';
  const userKey = 'rt-user-key-0001';
  const contacts = (options.contacts ?? REDTAIL_SEED).map((contact) => ({ ...contact }));
  const notes: FakeRedtailNote[] = [];
  const activities: FakeRedtailActivity[] = [];
  let nextId = 8000;
  let authShape: 'authenticated_user' | 'top_level' = 'authenticated_user';

  const unauthorized: FakeCrmAnswer = { status: 401, body: { message: 'Unauthorized' } };
  const unprocessable = (message: string): FakeCrmAnswer => ({ status: 422, body: { message } });
  const fullName = (c: FakeRedtailContact) =>
    [c.first_name, c.middle_name, c.last_name].filter(Boolean).join(' ');

  const handle = (request: FakeCrmRequest, refused: boolean): FakeCrmAnswer => {
    const { method, path, query } = request;
    const authorization = request.headers.authorization ?? '';

    if (method === 'GET' && path === '/authentication') {
      if (refused || authorization !== `Basic ${base64(`${apiKey}:${username}:${password}`)}`)
        return unauthorized;
      const user = { id: 31, first_name: 'Avery', last_name: 'Adviser', user_key: userKey };
      return {
        status: 200,
        body:
          authShape === 'top_level'
            ? { redtail_database_id: 555, redtail_user_id: 31, user_key: userKey }
            : { authenticated_user: user },
      };
    }

    const [scheme, credential] = authorization.split(' ');
    if (refused || scheme?.toLowerCase() !== 'userkeyauth' || credential !== base64(`${apiKey}:${userKey}`)) {
      return unauthorized;
    }

    if (method === 'GET' && path === '/lists/categories') {
      return {
        status: 200,
        body: {
          categories: [
            { id: 1, name: 'Client', deleted: false },
            { id: 2, name: 'Prospect', deleted: false },
          ],
        },
      };
    }

    if (method === 'GET' && path === '/contacts/search_basic') {
      const name = query.get('name')?.toLowerCase();
      if (!name) return unprocessable('A search parameter is required');
      const found = contacts.filter(
        (c) =>
          fullName(c).toLowerCase().includes(name) ||
          `${c.first_name} ${c.last_name}`.toLowerCase().includes(name),
      );
      return {
        status: 200,
        body: {
          contacts: found.map((c) => ({
            id: c.id,
            first_name: c.first_name,
            middle_name: c.middle_name ?? '',
            last_name: c.last_name,
            full_name: fullName(c),
            job_title: null,
            updated_at: '2026-01-15T10:00:00Z',
          })),
        },
      };
    }

    const noteMatch = /^\/contacts\/(\d+)\/notes$/.exec(path);
    if (method === 'POST' && noteMatch) {
      const contactId = Number(noteMatch[1]);
      if (!contacts.some((c) => c.id === contactId))
        return { status: 404, body: { message: 'Contact not found' } };
      const body = jsonBody(request);
      if (!isRecord(body) || typeof body.body !== 'string' || body.body === '')
        return unprocessable('body is required');
      if (typeof body.note_type !== 'number') return unprocessable('note_type is required');
      const note: FakeRedtailNote = {
        id: nextId++,
        contact_id: contactId,
        body: body.body,
        category_id: typeof body.category_id === 'number' ? body.category_id : null,
        note_type: body.note_type,
        pinned: body.pinned === true,
        draft: body.draft === true,
      };
      notes.push(note);
      return {
        status: 201,
        body: {
          note: {
            ...note,
            added_by: 31,
            deleted: false,
            created_at: '2026-01-15T10:00:00Z',
            note_associations: [
              { id: note.id + 1, note_id: note.id, noteable_id: contactId, noteable_type: 'Crm::Contact' },
            ],
          },
        },
      };
    }

    if (method === 'POST' && path === '/activities') {
      const body = jsonBody(request);
      if (!isRecord(body) || typeof body.subject !== 'string' || body.subject === '') {
        return unprocessable('subject is required');
      }
      for (const key of ['start_date', 'end_date'] as const) {
        if (
          body[key] !== undefined &&
          (typeof body[key] !== 'string' || Number.isNaN(Date.parse(body[key])))
        ) {
          return unprocessable(`${key} is invalid`);
        }
      }
      const linked = Array.isArray(body.linked_contacts) ? body.linked_contacts : [];
      for (const link of linked) {
        if (!isRecord(link) || !contacts.some((c) => c.id === link.contact_id)) {
          return unprocessable('linked_contacts names no contact');
        }
      }
      const attendees = Array.isArray(body.attendees) ? body.attendees : [];
      for (const attendee of attendees) {
        if (
          !isRecord(attendee) ||
          attendee.type !== 'Crm::Activity::Attendee::User' ||
          typeof attendee.user_id !== 'number'
        ) {
          return unprocessable('attendees need a type and a numeric user_id');
        }
      }
      const activity: FakeRedtailActivity = {
        id: nextId++,
        subject: body.subject,
        description: typeof body.description === 'string' ? body.description : null,
        start_date: typeof body.start_date === 'string' ? body.start_date : null,
        end_date: typeof body.end_date === 'string' ? body.end_date : null,
        linked_contacts: linked as { contact_id: number }[],
        attendees: attendees as { type: string; user_id: number }[],
      };
      activities.push(activity);
      return { status: 201, body: { activity: { ...activity, completed: false, repeats: 'never' } } };
    }
    return { status: 404, body: { message: 'Not Found' } };
  };

  const control = await startFakeCrmServer({
    serverErrorBody: { message: 'Internal Server Error' },
    rateLimitBody: { message: 'Too Many Requests' },
    handle,
  });
  return Object.assign(control, {
    apiKey,
    username,
    password,
    userKey,
    contacts,
    notes,
    activities,
    setAuthenticationShape: (shape: 'authenticated_user' | 'top_level') => {
      authShape = shape;
    },
  });
}
