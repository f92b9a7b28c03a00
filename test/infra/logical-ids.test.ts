import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from './app-fixture';

/**
 * The logical id of every resource, output and parameter of both stacks, against the list committed in
 * `logical-ids.json` (generated before functions/ was reorganised). A changed id makes CloudFormation replace the
 * resource — a new table or bucket on deploy — so a refactor that moves code must leave this list as it is.
 * Regenerate deliberately, only for a change that means to add or remove resources:
 * `UPDATE_LOGICAL_IDS=1 npx vitest run test/infra/logical-ids.test.ts`.
 */
const SNAPSHOT = join(import.meta.dirname, 'logical-ids.json');

function logicalIds(template: Template): Record<string, string[]> {
  const json = template.toJSON() as Record<string, Record<string, { Type?: string }> | undefined>;
  return {
    Resources: Object.entries(json.Resources ?? {})
      .map(([id, resource]) => `${id} ${resource.Type}`)
      .sort(),
    Outputs: Object.keys(json.Outputs ?? {}).sort(),
    Parameters: Object.keys(json.Parameters ?? {}).sort(),
  };
}

describe('the logical ids of the synthesized stacks', () => {
  it('are the committed ones', () => {
    const { stateful, stateless } = buildTestApp();
    const actual = {
      SmartadStateful: logicalIds(Template.fromStack(stateful)),
      SmartadStateless: logicalIds(Template.fromStack(stateless)),
    };
    if (process.env.UPDATE_LOGICAL_IDS === '1')
      writeFileSync(SNAPSHOT, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(SNAPSHOT, 'utf8')));
  });
});
