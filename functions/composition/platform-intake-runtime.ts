import { sfnClient } from '../adapters/aws-clients';
import { localPlatformIntake } from '../adapters/pipeline/local-platform-intake-registry';
import { createSfnPlatformIntakeStarter } from '../adapters/pipeline/sfn-platform-intake-starter';
import type { PlatformIntakeDeps, PlatformIntakeStarter } from '../core/platforms/ports';
import type { Config } from '../platform/config/config';
import { ConfigError } from '../platform/errors';
import { base } from './base';
import { DELIVERY_DEDUP_TTL_SECONDS, INTAKE_TTL_SECONDS, platformRuntime } from './platform-runtime';

let cached: PlatformIntakeDeps | undefined;

/** What the platform webhooks need to admit a delivery and start its intake (Step Functions on AWS). */
export function platformIntakeRuntime(): PlatformIntakeDeps {
  if (cached) return cached;
  const { config: cfg, clock, ids } = base();
  const { meetings, intakes } = platformRuntime();
  cached = {
    admissions: intakes,
    meetings,
    intakes,
    intake: intakeStarter(cfg),
    clock,
    ids,
    settings: { dedupTtlSeconds: DELIVERY_DEDUP_TTL_SECONDS, intakeTtlSeconds: INTAKE_TTL_SECONDS },
  };
  return cached;
}

/** Step Functions on AWS; the local host's in-process runner on the laptop; resolved when first used. */
function intakeStarter(cfg: Config): PlatformIntakeStarter {
  return {
    start: (input) => {
      const arn = cfg.platformIntake.stateMachineArn;
      const starter = arn ? createSfnPlatformIntakeStarter(sfnClient(cfg), arn) : localPlatformIntake();
      if (!starter) {
        throw new ConfigError('No platform intake: PLATFORM_INTAKE_STATE_MACHINE_ARN is not set.', [
          {
            path: 'PLATFORM_INTAKE_STATE_MACHINE_ARN',
            message: 'is required to fetch platform recordings on AWS',
          },
        ]);
      }
      return starter.start(input);
    },
  };
}
