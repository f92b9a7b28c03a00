import type { ProviderChoice } from '../core/pipeline/transcription-ports';
import type { Config } from '../platform/config/config';
import { assemblyAiTranscription } from './assemblyai/assemblyai-transcription';
import { deepgramTranscription } from './deepgram/deepgram-transcription';

/** Every speech-to-text provider, by its `TRANSCRIPTION_PROVIDER` name: the provider as configured, or why not. */
export const TRANSCRIPTION_REGISTRY: Readonly<
  Record<Config['transcription']['provider'], (cfg: Config) => ProviderChoice>
> = {
  assemblyai: assemblyAiTranscription,
  deepgram: deepgramTranscription,
};
