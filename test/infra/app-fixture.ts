import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Topology } from '../../functions/topology';
import { topology as realTopology } from '../../functions/topology';
import type { AppSettings } from '../../lib/app-settings';
import { FEATURE_FLAGS } from '../../lib/feature-flags';
import { StatefulStack } from '../../lib/stateful-stack';
import { StatelessStack } from '../../lib/stateless-stack';

export interface TestAppOptions {
  topology?: Topology;
  settings?: Partial<AppSettings>;
}

/**
 * The app as `bin/app.ts` composes it (same flags, same stacks, cdk-nag registered the same way), with
 * esbuild skipped: `aws:cdk:bundling-stacks: []` leaves function code as a placeholder asset.
 */
export function buildTestApp(options: TestAppOptions = {}) {
  const app = new App({ context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [] } });
  const stateful = new StatefulStack(app, 'SmartadStateful');
  const stateless = new StatelessStack(app, 'SmartadStateless', {
    stateful: stateful.resources,
    topology: options.topology ?? realTopology,
    settings: { corsAllowedOrigins: [], logLevel: 'info', serviceVersion: '0.1.0', ...options.settings },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, stateless };
}

/** A topology with one group per table access level, on top of the real one, for least-privilege checks. */
export function topologyWithEveryGrant(): Topology {
  const template = realTopology.routeGroups[0];
  if (template === undefined) throw new Error('the topology has no route group to copy a handler from');
  const probe = (name: string, grants: Topology['routeGroups'][number]['grants']) => ({
    ...template,
    name,
    description: `Probe: ${name}`,
    routes: [],
    grants,
  });
  return {
    ...realTopology,
    routeGroups: [
      ...realTopology.routeGroups,
      probe('probe-none', { table: 'none', keyring: false, signingKey: false }),
      probe('probe-read', { table: 'read', keyring: true, signingKey: false }),
      probe('probe-readwrite', { table: 'readwrite', keyring: true, signingKey: true }),
    ],
  };
}
