import { AppError } from '../../platform/errors';

/** Placeholder until the foundation's PlatformArtifactNotReadyError is merged. */
export class PlatformArtifactNotReadyError extends AppError {
  constructor(message: string) {
    super('platform_artifact_not_ready', message);
  }
}
