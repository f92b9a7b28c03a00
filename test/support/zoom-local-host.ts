import { safeDownload } from '../../functions/adapters/http/safe-fetch';
import { createZoomArtifactFetcher } from '../../functions/integrations/zoom/zoom-artifact-fetcher';
import { createHandlerLoader, type LoadHandler } from '../../lib/local/handler-loader';
import { type LocalHost, type LocalHostOptions, startLocalHost } from '../../lib/local/local-host';
import type { FakeZoom } from '../fakes/zoom-server';

const FETCH_TASK = 'functions/pipeline/fetch-platform-artifact.ts';

/**
 * The local host, in process, whose `FetchPlatformArtifact` task downloads through the real SSRF guard with one
 * test-only allowance: the fake Zoom's loopback address and port, trusting its self-signed certificate. Every
 * other address keeps the production rules, so SSRF vectors are refused exactly as on AWS; Teams and Meet keep
 * the deployment's fetchers. Production code never sets the overrides (a unit test checks that); only this
 * loader, in the test tree, does.
 */
export async function startZoomLocalHost(
  fake: FakeZoom,
  options: Pick<LocalHostOptions, 'onIntakeExecutionDone'> = {},
): Promise<LocalHost> {
  process.env.LOG_LEVEL ??= 'warn';
  process.env.PASSWORD_SCRYPT_LOG_N ??= '14';
  process.env.RATE_LIMIT_AUTH ??= '10000/60';
  process.env.RATE_LIMIT_STANDARD ??= '100000/60';
  process.env.RATE_LIMIT_STANDARD_FIRM ??= '100000/60';
  const base = createHandlerLoader();
  const loadHandler: LoadHandler = async (modulePath) => {
    if (modulePath !== FETCH_TASK) return base(modulePath);
    const [
      { fetchPlatformArtifactTask },
      { platformFetchRuntime },
      { guardedDownload, platformFetchers },
      { functionLogger },
      { config },
    ] = await Promise.all([
      import('../../functions/pipeline/fetch-platform-artifact'),
      import('../../functions/composition/platform-fetch-runtime'),
      import('../../functions/composition/platform-fetchers'),
      import('../../functions/platform/logging/function-logger'),
      import('../../functions/platform/config/config'),
    ]);
    const download = (url: string, headers: Readonly<Record<string, string>>) =>
      safeDownload(url, {
        headers,
        maxBytes: 50 * 1024 * 1024,
        timeoutMs: 10_000,
        allowPorts: [fake.port],
        unsafeTestOverrides: { allowAddress: (address) => address === fake.address, ca: fake.ca },
      });
    const task = fetchPlatformArtifactTask(
      // Teams and Meet fetch from the hosts their config names (fakes on loopback), as deployed.
      platformFetchRuntime({
        ...platformFetchers(guardedDownload(config()), config()),
        zoom: createZoomArtifactFetcher(download),
      }),
      functionLogger(config(), 'fetch-platform-artifact'),
    );
    return task as unknown as Awaited<ReturnType<LoadHandler>>;
  };
  return startLocalHost({ memory: true, port: 0, print: () => {}, loadHandler, ...options });
}
