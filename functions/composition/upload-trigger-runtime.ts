import { DynamoMeetingStore } from '../adapters/store/meeting-store';
import type { AttachUploadDeps } from '../core/meetings/attach-upload';
import { base } from './base';
import { pipelineStarter } from './pipeline-starter';

/** The upload trigger's deps: the meeting store and the pipeline starter (no bucket access: S3 told us). */
export function uploadTriggerRuntime(): AttachUploadDeps {
  const { config: cfg, store, clock } = base();
  return { meetings: new DynamoMeetingStore(store), clock, pipeline: pipelineStarter(cfg) };
}
