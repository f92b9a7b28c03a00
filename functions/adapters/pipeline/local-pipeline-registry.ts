import type { PipelineStarter } from '../../core/meetings/ports';

let registered: PipelineStarter | undefined;

/**
 * On the laptop there is no Step Functions endpoint to point the SDK at: the local host runs the same ASL file
 * in-process and registers its starter here. On AWS nothing registers, and `PIPELINE_STATE_MACHINE_ARN` is used.
 */
export function registerLocalPipeline(starter: PipelineStarter | undefined): void {
  registered = starter;
}

export function localPipeline(): PipelineStarter | undefined {
  return registered;
}
