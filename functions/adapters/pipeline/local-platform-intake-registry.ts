import type { PlatformIntakeStarter } from '../../core/platforms/ports';

let registered: PlatformIntakeStarter | undefined;

/**
 * As `local-pipeline-registry.ts`, for the platform intake state machine: the local host runs
 * `state-machines/platform-intake.asl.json` in-process and registers its starter here; on AWS nothing
 * registers and `PLATFORM_INTAKE_STATE_MACHINE_ARN` is used.
 */
export function registerLocalPlatformIntake(starter: PlatformIntakeStarter | undefined): void {
  registered = starter;
}

export function localPlatformIntake(): PlatformIntakeStarter | undefined {
  return registered;
}
