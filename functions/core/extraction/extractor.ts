import type { Transcript } from '../transcript/transcript';
import type { Extraction, ExtractionContext } from './extraction-schema';

/**
 * The port every extractor fills: the offline extractor now, Claude behind the same signature. The result must
 * satisfy `ExtractionSchema` and say which extractor made it (`extractor`, and `model` for Claude); evidence is
 * verified afterwards by `verifyEvidence`, not trusted.
 */
export type Extractor = (transcript: Transcript, context: ExtractionContext) => Promise<Extraction>;
