import { s3Client } from '../adapters/aws-clients';
import { createArtifactWriter } from '../adapters/blobs/artifact-writer';
import type { FetchArtifactDeps, PlatformArtifactFetchers } from '../core/platforms/ports';
import { base } from './base';
import { guardedDownload, platformFetchers } from './platform-fetchers';
import { platformRuntime } from './platform-runtime';

/**
 * The intake task's deps with the given fetchers (default: the deployment's, through the SSRF guard): the
 * platforms' APIs, the uploads bucket the file goes to.
 */
export function platformFetchRuntime(fetchers?: PlatformArtifactFetchers): FetchArtifactDeps {
  const { config: cfg, audit, clock } = base();
  const { meetings, intakes, integrations } = platformRuntime();
  return {
    meetings,
    intakes,
    integrations,
    fetchers: fetchers ?? platformFetchers(guardedDownload(cfg), cfg),
    artifacts: createArtifactWriter(s3Client(cfg), cfg.buckets.uploads),
    audit,
    clock,
  };
}
