import { afterAll, describe, expect, it, vi } from 'vitest';
import { resetConfigForTests } from '../../../functions/platform/config/config';
import { withEdge } from '../../../functions/platform/http/http-handler';
import { applyTestEnv } from '../../support/test-env';

describe('CORS warning', () => {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((line) => {
    written.push(String(line));
    return true;
  });
  afterAll(() => spy.mockRestore());

  it('is logged once per process, however many route groups the process loads (the local host loads all)', () => {
    applyTestEnv({ CORS_ALLOWED_ORIGINS: '', LOG_LEVEL: 'info' });
    resetConfigForTests();
    const inner = async () => ({ statusCode: 204 });
    for (const group of ['meetings', 'users', 'auth']) withEdge(group, inner);
    expect(written.filter((line) => line.includes('CORS_ALLOWED_ORIGINS is empty'))).toHaveLength(1);
  });
});
