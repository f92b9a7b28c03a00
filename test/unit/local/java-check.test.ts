import { describe, expect, it } from 'vitest';
import { assertJavaAvailable, parseJavaMajor } from '../../../lib/local/java-check';

describe('assertJavaAvailable', () => {
  it('passes for Java 17', () => {
    expect(() =>
      assertJavaAvailable(() => ({ status: 0, output: 'openjdk version "17.0.15" 2025-04-15' })),
    ).not.toThrow();
  });

  it('says how to install Java, in one line, when java is not on PATH', () => {
    const missing = Object.assign(new Error('spawnSync java ENOENT'), { code: 'ENOENT' });
    expect(() => assertJavaAvailable(() => ({ error: missing, status: null, output: '' }))).toThrow(
      'Java 17+ is required for DynamoDB Local: sudo apt-get install -y default-jre-headless (Debian/Ubuntu) or brew install openjdk',
    );
  });

  it('names the version found when it is too old', () => {
    expect(() => assertJavaAvailable(() => ({ status: 0, output: 'java version "1.8.0_392"' }))).toThrow(
      /found Java 8/,
    );
  });
});

describe('parseJavaMajor', () => {
  it.each([
    ['openjdk version "21.0.2" 2024-01-16', 21],
    ['openjdk version "17" 2021-09-14', 17],
    ['java version "1.8.0_392"', 8],
    ['something else', undefined],
  ])('reads %s as %s', (output, major) => {
    expect(parseJavaMajor(output)).toBe(major);
  });
});
