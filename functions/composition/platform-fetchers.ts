import { safeDownload } from '../adapters/http/safe-fetch';
import { AccessTokenCache } from '../adapters/meeting-platforms/access-token-cache';
import type { ArtifactDownload } from '../adapters/meeting-platforms/artifact-download';
import { createPlatformHttp } from '../adapters/meeting-platforms/platform-http';
import type { PlatformArtifactFetchers } from '../core/platforms/ports';
import { MEETING_PLATFORM_REGISTRY } from '../integrations/meeting-platform-registry';
import type { Config } from '../platform/config/config';

/** Every download a platform fetcher makes: through the SSRF guard, within the configured size and time. */
export function guardedDownload(cfg: Config): ArtifactDownload {
  return (url, headers) =>
    safeDownload(url, {
      headers,
      maxBytes: cfg.platformIntake.downloadMaxBytes,
      timeoutMs: cfg.platformIntake.downloadTimeoutMs,
    });
}

/** Every platform's fetcher, from the registry, each given the guarded download and the shared API plumbing. */
export function platformFetchers(download: ArtifactDownload, cfg: Config): PlatformArtifactFetchers {
  const setup = {
    download,
    api: {
      http: createPlatformHttp(),
      tokens: new AccessTokenCache(),
      now: () => Date.now(),
      maxRecordingBytes: cfg.platformIntake.downloadMaxBytes,
    },
    cfg,
  };
  return Object.fromEntries(
    Object.entries(MEETING_PLATFORM_REGISTRY).map(([platform, fetcher]) => [platform, fetcher(setup)]),
  ) as PlatformArtifactFetchers;
}
