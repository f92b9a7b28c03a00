import { describe, expect, it } from 'vitest';
import { configuredExtractor } from '../../../functions/integrations/configured-extractor';
import { offlineExtractor } from '../../../functions/integrations/offline/offline-extractor';

describe('configuredExtractor', () => {
  it('is the offline extractor without an API key', () => {
    const chosen = configuredExtractor({
      anthropic: {
        apiKey: undefined,
        model: 'claude-sonnet-4-6',
        baseUrl: undefined,
        tokenBudget: 400_000,
      },
    });
    expect(chosen.kind).toBe('offline');
    expect(chosen.extractor).toBe(offlineExtractor);
  });

  it('is Claude with a key', () => {
    const chosen = configuredExtractor({
      anthropic: {
        apiKey: 'sk-ant-test-0123456789abcdef',
        model: 'claude-sonnet-4-6',
        baseUrl: 'http://127.0.0.1:9',
        tokenBudget: 400_000,
      },
    });
    expect(chosen.kind).toBe('claude');
  });
});
