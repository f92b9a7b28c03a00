import { TEST_ENV } from '../test/support/test-env';

/**
 * A complete function environment for cold imports: the unit tests' (endpoints point nowhere, because init must
 * not call them), logging as deployed, and source maps on as `project-function.ts` sets them (Node parses them
 * at load, so they count).
 */
const { CORS_ALLOWED_ORIGINS: _cors, ...functionEnv } = TEST_ENV;
export const FUNCTION_ENV: Record<string, string> = {
  ...functionEnv,
  LOG_LEVEL: 'warn',
  NODE_OPTIONS: '--enable-source-maps',
};
