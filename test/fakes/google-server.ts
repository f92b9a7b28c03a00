import { createPublicKey, randomUUID, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGoogleServiceAccount {
  clientEmail: string;
  /** PEM public key matching the service account's private key: the fake checks the assertion's signature. */
  publicKeyPem: string;
}

export interface FakeMeetArtifact {
  /** `conferenceRecords/{id}/transcripts/{id}` or `…/recordings/{id}`. */
  name: string;
  /** Meet REST answers `state: ENDED` (no file yet) for this many reads before `FILE_GENERATED`. */
  endedFor: number;
  driveFileId: string;
  /** The Drive export (transcripts, text/plain) or media (recordings). */
  content: Buffer;
  contentType: string;
  reads: number;
}

export interface FakeGoogle {
  tokenUrl: string;
  meetBaseUrl: string;
  driveBaseUrl: string;
  artifacts: Map<string, FakeMeetArtifact>;
  /** The claims of every assertion that was accepted. */
  assertions: Record<string, unknown>[];
  requests: { method: string; path: string }[];
  addArtifact(
    artifact: Omit<FakeMeetArtifact, 'reads' | 'endedFor'> & { endedFor?: number },
  ): FakeMeetArtifact;
  close(): Promise<void>;
}

/**
 * A loopback Google: the OAuth 2.0 token endpoint for the JWT bearer grant (checks the RS256 assertion against the
 * service account's public key, `aud` = the token URL, `iat`/`exp`, a scope), Meet REST
 * `GET /v2/conferenceRecords/*\/transcripts|recordings/*` with `docsDestination.document` / `driveDestination.file`,
 * and Drive v3 `files/{id}/export?mimeType=text/plain` (403 `exportSizeLimitExceeded` over 10 MB) and
 * `files/{id}?alt=media`.
 */
export async function startFakeGoogle(accounts: FakeGoogleServiceAccount[]): Promise<FakeGoogle> {
  const tokens = new Set<string>();
  const fake: Omit<FakeGoogle, 'tokenUrl' | 'meetBaseUrl' | 'driveBaseUrl' | 'close'> = {
    artifacts: new Map(),
    assertions: [],
    requests: [],
    addArtifact(artifact) {
      const stored: FakeMeetArtifact = { endedFor: 0, ...artifact, reads: 0 };
      fake.artifacts.set(artifact.name, stored);
      return stored;
    },
  };
  let base = '';
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(body));
  };
  const googleError = (res: ServerResponse, status: number, reason: string) =>
    json(res, status, { error: { code: status, message: reason, errors: [{ reason }] } });

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req);
    fake.requests.push({ method: req.method ?? '', path: url.pathname });

    if (url.pathname === '/token' && req.method === 'POST') {
      const form = new URLSearchParams(body.toString('utf8'));
      const claims =
        form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:jwt-bearer'
          ? verifiedClaims(form.get('assertion') ?? '', accounts, `${base}/token`)
          : undefined;
      if (claims === undefined)
        return json(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
      fake.assertions.push(claims);
      const token = `ya29.fake-${randomUUID()}`;
      tokens.add(token);
      return json(res, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
    }

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer === undefined || !tokens.has(bearer)) return googleError(res, 401, 'authError');

    const meet = /^\/v2\/(conferenceRecords\/[^/]+\/(transcripts|recordings)\/[^/]+)$/.exec(url.pathname);
    if (meet && req.method === 'GET') {
      const artifact = fake.artifacts.get(meet[1] ?? '');
      if (artifact === undefined) return googleError(res, 404, 'notFound');
      artifact.reads += 1;
      const state = artifact.reads <= artifact.endedFor ? 'ENDED' : 'FILE_GENERATED';
      const destination =
        state !== 'FILE_GENERATED'
          ? {}
          : meet[2] === 'transcripts'
            ? {
                docsDestination: {
                  document: artifact.driveFileId,
                  exportUri: `https://docs.google.com/document/d/${artifact.driveFileId}`,
                },
              }
            : {
                driveDestination: {
                  file: artifact.driveFileId,
                  exportUri: `https://drive.google.com/file/d/${artifact.driveFileId}/view`,
                },
              };
      return json(res, 200, {
        name: artifact.name,
        state,
        startTime: '2026-01-20T15:00:00Z',
        endTime: '2026-01-20T15:45:00Z',
        ...destination,
      });
    }

    const drive = /^\/drive\/v3\/files\/([^/]+)(\/export)?$/.exec(url.pathname);
    if (drive && req.method === 'GET') {
      const artifact = [...fake.artifacts.values()].find((a) => a.driveFileId === drive[1]);
      if (artifact === undefined) return googleError(res, 404, 'notFound');
      const exporting = drive[2] !== undefined;
      if (exporting && url.searchParams.get('mimeType') !== 'text/plain')
        return googleError(res, 400, 'badRequest');
      if (!exporting && url.searchParams.get('alt') !== 'media') return googleError(res, 400, 'badRequest');
      if (exporting && artifact.content.length > 10 * 1024 * 1024)
        return googleError(res, 403, 'exportSizeLimitExceeded');
      res.writeHead(200, { 'content-type': artifact.contentType, 'content-length': artifact.content.length });
      res.end(artifact.content);
      return;
    }
    googleError(res, 404, 'notFound');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(fake, {
    tokenUrl: `${base}/token`,
    meetBaseUrl: base,
    driveBaseUrl: base,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  });
}

function verifiedClaims(
  assertion: string,
  accounts: FakeGoogleServiceAccount[],
  audience: string,
): Record<string, unknown> | undefined {
  const [header, payload, signature] = assertion.split('.');
  if (header === undefined || payload === undefined || signature === undefined) return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const account = accounts.find((a) => a.clientEmail === claims.iss);
  if (account === undefined) return undefined;
  const signed = verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${payload}`),
    createPublicKey(account.publicKeyPem),
    Buffer.from(signature, 'base64url'),
  );
  const now = Date.now() / 1000;
  const { aud, iat, exp, scope } = claims as { aud?: string; iat?: number; exp?: number; scope?: string };
  const timely =
    typeof iat === 'number' && typeof exp === 'number' && iat <= now + 60 && exp > now && exp - iat <= 3600;
  return signed && aud === audience && timely && typeof scope === 'string' && scope.length > 0
    ? claims
    : undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
