import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { verifyEvidence } from '../functions/core/extraction/verify-evidence';
import { parseTranscriptFile } from '../functions/core/transcript/detect-transcript-format';
import { extractOffline } from '../functions/integrations/offline/offline-extractor';

/**
 * Child process of `bench/pipeline.ts`: reads one transcript file, parses, extracts offline and verifies the
 * evidence, as the Extract task does, then prints one JSON line with the process's peak RSS
 * (`process.resourceUsage().maxRSS`, kilobytes) and the RSS before the work started (module loading alone).
 * Usage: node --import tsx bench/extraction-rss.ts FILE ADVISOR CLIENT[,CLIENT] DATE
 */
const [file, advisor, clients, meetingDate] = process.argv.slice(2);
if (!file || !advisor || !clients || !meetingDate) throw new Error('usage: FILE ADVISOR CLIENTS DATE');
const baselineRssKb = Math.round(process.memoryUsage().rss / 1024);
const started = performance.now();
const bytes = await readFile(file);
const transcript = parseTranscriptFile(bytes, { fileName: basename(file) });
const extraction = extractOffline(transcript, {
  advisorName: advisor,
  clients: clients.split(','),
  meetingDate,
  firmDisclaimer: 'Benchmark run.',
});
const verified = verifyEvidence(extraction, transcript);
console.log(
  JSON.stringify({
    bytes: bytes.byteLength,
    utterances: transcript.utterances.length,
    actionItems: verified.extraction.action_items.length,
    flags: verified.extraction.compliance_flags.length,
    ms: performance.now() - started,
    baselineRssKb,
    maxRssKb: process.resourceUsage().maxRSS,
  }),
);
