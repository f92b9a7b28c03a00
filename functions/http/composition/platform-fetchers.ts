import { safeDownload } from '../../adapters/http/safe-fetch';
import type { ArtifactDownload } from '../../adapters/platforms/artifact-download';
import { createZoomArtifactFetcher } from '../../adapters/platforms/zoom-artifact-fetcher';
import type { PlatformArtifactFetchers } from '../../core/platforms/ports';
import type { Config } from '../../platform/config/config';

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
export function platformFetchers(download: ArtifactDownload): PlatformArtifactFetchers {
  return { zoom: createZoomArtifactFetcher(download) };
}
