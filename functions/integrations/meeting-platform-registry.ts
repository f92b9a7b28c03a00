import type { AccessTokenCache } from '../adapters/meeting-platforms/access-token-cache';
import type { ArtifactDownload } from '../adapters/meeting-platforms/artifact-download';
import type { PlatformHttp } from '../adapters/meeting-platforms/platform-http';
import type { Platform } from '../contracts/platform';
import type { PlatformArtifactFetcher } from '../core/platforms/ports';
import type { Config } from '../platform/config/config';
import { createMeetArtifactFetcher } from './meet/meet-artifact-fetcher';
import { createTeamsArtifactFetcher } from './teams/teams-artifact-fetcher';
import { createZoomArtifactFetcher } from './zoom/zoom-artifact-fetcher';

/** What a platform's fetcher is built from: the guarded download, the API plumbing platforms share, config. */
export interface PlatformFetcherSetup {
  /** Every download through the SSRF guard, within the configured size and time. */
  download: ArtifactDownload;
  /** Vendor API calls at configured hosts; redirects go through the SSRF guard. */
  api: { http: PlatformHttp; tokens: AccessTokenCache; now: () => number; maxRecordingBytes: number };
  cfg: Config;
}

/** How each meeting platform's recordings and transcripts are fetched, by platform name. One line per platform. */
export const MEETING_PLATFORM_REGISTRY: {
  readonly [P in Platform]: (setup: PlatformFetcherSetup) => PlatformArtifactFetcher<P>;
} = {
  zoom: ({ download }) => createZoomArtifactFetcher(download),
  teams: ({ api, cfg }) => createTeamsArtifactFetcher({ ...api, endpoints: cfg.meetingPlatforms.graph }),
  meet: ({ api, cfg }) => createMeetArtifactFetcher({ ...api, endpoints: cfg.meetingPlatforms.google }),
};
