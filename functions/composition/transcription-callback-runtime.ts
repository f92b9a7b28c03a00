import { sfnClient } from '../adapters/aws-clients';
import { hostTaskCallbacks } from '../adapters/pipeline/task-callbacks';
import type { TranscriptionCallbackDeps } from '../core/pipeline/transcription-ports';
import { base } from './base';
import { transcriptionRuntime } from './transcription-runtime';

/** The transcription webhook's deps: the transcription functions' plus the task callbacks that resume the pipeline. */
export function transcriptionCallbackRuntime(): TranscriptionCallbackDeps {
  const cfg = base().config;
  return { ...transcriptionRuntime(), callbacks: hostTaskCallbacks(() => sfnClient(cfg)) };
}
