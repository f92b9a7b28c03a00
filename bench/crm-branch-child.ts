import { crmBranch } from './crm-branch';

/**
 * `bench/pipeline.ts` runs the CRM figures here, in a fresh process: the handlers a local host loads keep their
 * AWS clients for the process's life (one per cold start, as on Lambda), so a second host in the same process
 * would talk to the first one's stopped engines. Prints the figures as the last line of JSON.
 */
process.env.LOG_LEVEL = 'warn';
process.env.PASSWORD_SCRYPT_LOG_N = '14';
process.env.CORS_ALLOWED_ORIGINS ??= 'http://localhost';
delete process.env.ANTHROPIC_API_KEY;

const goldenDir = process.argv[2];
if (!goldenDir) throw new Error('usage: crm-branch-child.ts <golden dir>');
console.log(JSON.stringify(await crmBranch(goldenDir)));
