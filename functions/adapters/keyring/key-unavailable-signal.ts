import { emfCountLine } from '../../platform/logging/emf-count';
import { Logger } from '../../platform/logging/logger';

/** Emitted (EMF, value 1, unit Count, no dimensions) per read that met a retired key; an alarm watches it. */
export const KEY_UNAVAILABLE_METRIC = {
  namespace: 'SmartAdvisor',
  metricName: 'EncryptionKeyUnavailable',
} as const;

/** The log message of such a read, so a log query finds every one of them. */
export const KEY_UNAVAILABLE_EVENT = 'encryption_key_unavailable';

/** Reports a ciphertext whose key is gone: `record` says what could not be read (entity/field and keys, or object). */
export type KeyUnavailableSignal = (keyId: string, record: string) => void;

/**
 * The error log line and the EMF metric line, both on stdout (Lambda ships it to CloudWatch Logs, whose agent
 * turns the EMF line into the metric). Injectable for tests.
 */
export function createKeyUnavailableSignal(
  options: { log?: Logger; stdout?: (line: string) => void; now?: () => number } = {},
): KeyUnavailableSignal {
  const stdout = options.stdout ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const log = options.log ?? new Logger({ service: 'smart-advisor-os', level: 'error', sink: stdout });
  const now = options.now ?? Date.now;
  return (keyId, record) => {
    log.error(KEY_UNAVAILABLE_EVENT, { key_id: keyId, record });
    stdout(emfCountLine(KEY_UNAVAILABLE_METRIC, now()));
  };
}
