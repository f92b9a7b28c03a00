import { safeDownload } from '../adapters/http/safe-fetch';
import { AccessTokenCache } from '../adapters/meeting-platforms/access-token-cache';
import { createMeetArtifactFetcher } from '../adapters/meeting-platforms/meet/meet-artifact-fetcher';
import { createPlatformHttp } from '../adapters/meeting-platforms/platform-http';
import { createTeamsArtifactFetcher } from '../adapters/meeting-platforms/teams/teams-artifact-fetcher';
import type { ArtifactDownload } from '../adapters/platforms/artifact-download';
import { createZoomArtifactFetcher } from '../adapters/platforms/zoom-artifact-fetcher';
import type { PlatformArtifactFetchers } from '../core/platforms/ports';
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

/**
 * The platforms this deployment can fetch files from, each given the guarded download. A platform missing here
 * fails its meetings with a reason that says so. Teams and Meet fetchers plug in here.
 */
export function platformFetchers(download: ArtifactDownload, cfg?: Config): PlatformArtifactFetchers {
  if (cfg === undefined) return { zoom: createZoomArtifactFetcher(download) };
  // Teams and Meet call their vendors' APIs at configured hosts; redirects go through the SSRF guard.
  const shared = {
    http: createPlatformHttp(),
    tokens: new AccessTokenCache(),
    now: () => Date.now(),
    maxRecordingBytes: cfg.platformIntake.downloadMaxBytes,
  };
  return {
    zoom: createZoomArtifactFetcher(download),
    teams: createTeamsArtifactFetcher({ ...shared, endpoints: cfg.meetingPlatforms.graph }),
    meet: createMeetArtifactFetcher({ ...shared, endpoints: cfg.meetingPlatforms.google }),
  };
}
