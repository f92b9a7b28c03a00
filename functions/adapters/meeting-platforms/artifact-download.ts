import type { IncomingHttpHeaders } from 'node:http';

/**
 * A GET through the SSRF guard (`safeDownload` with the deployment's size and time limits), as the platform
 * fetchers use it. Injected, so the fetchers never choose their own limits and tests can reach a local fake.
 */
export type ArtifactDownload = (
  url: string,
  headers: Readonly<Record<string, string>>,
) => Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>;
