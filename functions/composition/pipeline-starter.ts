import { sfnClient } from '../adapters/aws-clients';
import { localPipeline } from '../adapters/pipeline/local-pipeline-registry';
import { createSfnPipelineStarter } from '../adapters/pipeline/sfn-pipeline-starter';
import type { PipelineStarter } from '../core/meetings/ports';
import type { Config } from '../platform/config/config';
import { ConfigError } from '../platform/errors';

/** Step Functions on AWS; the local host's in-process runner on the laptop; resolved when first used. */
export function pipelineStarter(cfg: Config): PipelineStarter {
  return {
    start: (input) => {
      const arn = cfg.pipeline.stateMachineArn;
      const starter = arn ? createSfnPipelineStarter(sfnClient(cfg), arn) : localPipeline();
      if (!starter) {
        throw new ConfigError('No meeting pipeline: PIPELINE_STATE_MACHINE_ARN is not set.', [
          { path: 'PIPELINE_STATE_MACHINE_ARN', message: 'is required to start the meeting pipeline on AWS' },
        ]);
      }
      return starter.start(input);
    },
  };
}
