import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import {
  UPLOAD_EXTENSIONS,
  UPLOAD_FORMATS,
  uploadExtensionOf,
} from '../../functions/core/meetings/upload-formats';
import type { LocalHost } from './local-host';

export interface ProcessFileOptions {
  file: string;
  /** Default: the file's base name. */
  clients?: string[];
  /** YYYY-MM-DD; default today (local time). */
  date?: string;
  title?: string;
  /** The throwaway adviser's name, as the notes and the email draft use it; default 'Advisor'. */
  advisor?: string;
  /** Two-letter state of the participants for the consent record; default NY. */
  state?: string;
  json?: boolean;
  /** Where the result goes; default stdout. */
  out?: (line: string) => void;
  /** Where problems (and, with `json`, progress) go; default stderr. */
  err?: (line: string) => void;
  /** Give up waiting for the pipeline after this long; default 10 minutes. */
  timeoutMs?: number;
}

/** A problem with the command line or the input file: one line, exit 2. */
export class ProcessUsageError extends Error {}

const DEFAULT_STATE = 'NY';
const TERMINAL = new Set(['completed', 'failed']);

interface Citation {
  utterance_index: number;
  quote: string;
}
interface Checked {
  evidence?: Citation[];
  evidence_status?: 'verified' | 'unverified';
}
interface MeetingDetails {
  id: string;
  status: string;
  failure_reason?: string;
  extractor?: string;
  model?: string;
  extraction?: {
    notes?: Record<string, ({ text: string } & Checked)[]>;
    action_items?: ({
      description: string;
      owner: string;
      due_date: string | null;
      priority?: string;
    } & Checked)[];
    client_facts?: ({ category: string; fact: string; value: number | string | null } & Checked)[];
    compliance_flags?: ({
      rule: string;
      severity: string;
      speaker: string;
      source?: string;
      explanation: string;
    } & Checked)[];
    follow_up_email?: {
      subject: string;
      body: string;
      disclaimer: string;
      flags?: { rule: string; severity: string; quote: string }[];
    };
  };
}

function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Checks the file and the options before anything is started. */
export async function checkProcessInput(options: ProcessFileOptions) {
  const extension = uploadExtensionOf(options.file);
  if (extension === undefined) {
    throw new ProcessUsageError(
      `unsupported file type '${extname(options.file) || '(none)'}' — accepted: ${UPLOAD_EXTENSIONS.map((e) => `.${e}`).join(', ')}`,
    );
  }
  const info = await stat(options.file).catch(() => undefined);
  if (info === undefined) throw new ProcessUsageError(`no such file: ${options.file}`);
  if (!info.isFile()) throw new ProcessUsageError(`not a file: ${options.file}`);
  if (info.size === 0) throw new ProcessUsageError(`empty file: ${options.file}`);
  const date = options.date ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) {
    throw new ProcessUsageError(`--date must be YYYY-MM-DD, got '${date}'`);
  }
  const state = (options.state ?? DEFAULT_STATE).toUpperCase();
  if (!/^[A-Z]{2}$/.test(state)) {
    throw new ProcessUsageError(
      `--state must be a two-letter US state code such as OH, got '${options.state}'`,
    );
  }
  const fileName = basename(options.file);
  const clients = options.clients?.length ? options.clients : [basename(fileName, extname(fileName))];
  return {
    extension,
    contentType: UPLOAD_FORMATS[extension].contentType,
    kind: UPLOAD_FORMATS[extension].kind,
    fileName,
    size: info.size,
    date,
    state,
    clients,
    title: options.title ?? `Meeting ${date}`,
  };
}

class ApiError extends Error {}

function client(baseUrl: string) {
  return async <T>(method: string, path: string, body?: unknown, token?: string): Promise<T> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : null;
    if (!res.ok) {
      const error = (parsed as { error?: { message?: string; issues?: { path: string; message: string }[] } })
        ?.error;
      const issues = error?.issues?.map((i) => `${i.path}: ${i.message}`).join('; ');
      throw new ApiError(
        `${method} ${path} → ${res.status}${error?.message ? `: ${error.message}` : ''}${issues ? ` (${issues})` : ''}`,
      );
    }
    return parsed as T;
  };
}

/**
 * `smartad process <file>`: runs one transcript or recording through the whole system on an in-memory local
 * host (a throwaway firm, the real API, upload trigger and pipeline) and prints the result. Returns the exit code:
 * 0 completed, 1 failed. Throws `ProcessUsageError` for bad input (exit 2) before starting anything. The host is
 * stopped on every path; `setStop` receives its stop function as soon as there is one, for signal handlers.
 */
export async function processFile(
  options: ProcessFileOptions,
  setStop: (stop: () => Promise<void>) => void = () => {},
): Promise<number> {
  // The handlers' structured logs write to stdout; while the host runs they go to stderr, so stdout carries only
  // the result (and `--json` stays parseable).
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const out = options.out ?? ((line: string) => void stdoutWrite(`${line}\n`));
  const err = options.err ?? ((line: string) => console.error(line));
  const progress = options.json ? err : out;
  const input = await checkProcessInput(options);
  const file = await readFile(options.file);

  process.env.LOG_LEVEL ??= 'warn';
  const started = Date.now();
  const elapsed = () => `${Date.now() - started} ms`;
  progress(`starting the local host (in memory) for ${input.fileName} …`);
  const { startLocalHost } = await import('./local-host');
  let host: LocalHost | undefined;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    // A throwaway host for one file: no schedule runs on its own while it does.
    host = await startLocalHost({ memory: true, port: 0, print: () => {}, schedules: false });
    setStop(host.stop);
    progress(`host ready in ${host.startupMs} ms (DynamoDB Local pid ${host.dynamodb.pid})`);
    const api = client(host.url);

    const email = `process-${randomUUID()}@example.com`;
    const registered = await api<{ access_token: string }>('POST', '/api/v1/auth/register', {
      firm_name: 'Local Process Firm',
      name: options.advisor ?? 'Advisor',
      email,
      password: randomBytes(32).toString('base64url'),
    });
    const token = registered.access_token;

    progress(`uploading ${input.fileName} (${input.contentType}, ${input.size} bytes) …`);
    const ticket = await api<{
      meeting: { id: string };
      upload: { url: string; method: string; headers: Record<string, string> };
    }>(
      'POST',
      '/api/v1/meetings/upload',
      {
        title: input.title,
        meeting_date: input.date,
        client_names: input.clients,
        file_name: input.fileName,
        content_type: input.contentType,
        size_bytes: input.size,
      },
      token,
    );
    const meetingId = ticket.meeting.id;
    const put = await fetch(ticket.upload.url, {
      method: ticket.upload.method,
      headers: { 'content-type': input.contentType, ...ticket.upload.headers },
      body: file,
    });
    if (!put.ok) throw new ApiError(`upload PUT → ${put.status}: ${(await put.text()).slice(0, 200)}`);

    const get = () => api<MeetingDetails>('GET', `/api/v1/meetings/${meetingId}`, undefined, token);
    const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
    let last = '';
    const waitFor = async (done: (status: string) => boolean): Promise<MeetingDetails> => {
      for (;;) {
        const meeting = await get();
        if (meeting.status !== last) {
          last = meeting.status;
          progress(`${describeStatus(meeting.status)} (${elapsed()})`);
        }
        if (done(meeting.status)) return meeting;
        if (Date.now() > deadline) throw new ApiError(`gave up waiting: meeting still '${meeting.status}'`);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    };

    let meeting = await waitFor((s) => s !== 'pending_upload');
    if (meeting.status === 'awaiting_consent') {
      await api(
        'POST',
        `/api/v1/meetings/${meetingId}/consent`,
        { method: 'written', participant_states: [input.state] },
        token,
      );
      progress(
        `consent recorded (written, state ${input.state}${options.state === undefined ? ' — pass --state to change' : ''})`,
      );
      meeting = await waitFor((s) => TERMINAL.has(s));
    } else if (!TERMINAL.has(meeting.status)) {
      meeting = await waitFor((s) => TERMINAL.has(s));
    }

    if (options.json) out(JSON.stringify(meeting, null, 2));
    if (meeting.status !== 'completed') {
      err(`failed: ${meeting.failure_reason ?? 'no reason given'}`);
      return 1;
    }
    if (!options.json) for (const line of renderMeeting(meeting)) out(line);
    return 0;
  } catch (error) {
    if (error instanceof ApiError) {
      err(`failed: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await host?.stop();
    process.stdout.write = stdoutWrite;
  }
}

function describeStatus(status: string): string {
  switch (status) {
    case 'pending_upload':
      return 'waiting for the upload';
    case 'awaiting_consent':
      return 'attached (awaiting consent)';
    case 'pending':
      return 'queued';
    default:
      return status;
  }
}

const marker = (item: Checked) => (item.evidence_status === 'unverified' ? ' [unverified]' : '');
const quotes = (item: Checked) =>
  (item.evidence ?? []).map((c) => `      “${c.quote}” (#${c.utterance_index})`);
const indent = (text: string, by: string) =>
  text
    .split('\n')
    .map((line) => `${by}${line}`.trimEnd())
    .join('\n');

/** The completed meeting as readable text. */
export function renderMeeting(meeting: MeetingDetails): string[] {
  const x = meeting.extraction ?? {};
  const lines: string[] = [''];
  const section = (title: string, count?: number) => {
    lines.push('', `${title}${count === undefined ? '' : ` (${count})`}`);
  };
  lines.push(
    `Meeting ${meeting.id} — extractor: ${meeting.extractor ?? 'unknown'}${meeting.model ? ` (${meeting.model})` : ''}`,
  );

  for (const [category, notes] of Object.entries(x.notes ?? {})) {
    if (notes.length === 0) continue;
    section(`Notes — ${category.replaceAll('_', ' ')}`);
    for (const note of notes) lines.push(`  • ${note.text}${marker(note)}`);
  }

  const actions = x.action_items ?? [];
  section('Action items', actions.length);
  for (const a of actions) {
    lines.push(
      `  • [${a.owner}] due ${a.due_date ?? '—'}${a.priority ? ` (${a.priority})` : ''}: ${a.description}${marker(a)}`,
    );
  }
  if (actions.length === 0) lines.push('  (none)');

  const facts = x.client_facts ?? [];
  section('Client facts', facts.length);
  for (const f of facts) {
    lines.push(`  • ${f.category}: ${f.fact}${f.value === null ? '' : ` [${f.value}]`}${marker(f)}`);
  }
  if (facts.length === 0) lines.push('  (none)');

  const flags = x.compliance_flags ?? [];
  section('Compliance flags', flags.length);
  for (const f of flags) {
    lines.push(
      `  • ${f.rule} (${f.severity}) — ${f.speaker}${f.source ? `, via ${f.source}` : ''}${marker(f)}`,
      `      ${f.explanation}`,
      ...quotes(f),
    );
  }
  if (flags.length === 0) lines.push('  (none)');

  const email = x.follow_up_email;
  section('Follow-up email (draft)');
  if (email) {
    lines.push(`  Subject: ${email.subject}`, '', indent(email.body, '  '));
    if (email.disclaimer) lines.push('', indent(email.disclaimer, '  '));
    for (const f of email.flags ?? []) lines.push(`  ! draft flag ${f.rule} (${f.severity}): "${f.quote}"`);
  } else lines.push('  (none)');

  lines.push(
    '',
    'Nothing was sent to anyone: the email is a draft, and all data was discarded with the local host.',
  );
  return lines;
}
