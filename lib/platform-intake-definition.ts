import { fileURLToPath } from 'node:url';
import { PLATFORM_INTAKE_DEFINITION_FILE } from '../functions/contracts/platform-intake-tasks';
import { readPipelineDefinitionText } from './pipeline-definition';

/** Absolute path of `state-machines/platform-intake.asl.json`, the file both hosts run. */
export const PLATFORM_INTAKE_DEFINITION_PATH = fileURLToPath(
  new URL(`../${PLATFORM_INTAKE_DEFINITION_FILE}`, import.meta.url),
);

/** The intake definition as written, placeholders included. */
export function readPlatformIntakeDefinitionText(): string {
  return readPipelineDefinitionText(PLATFORM_INTAKE_DEFINITION_PATH);
}
