import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { topology } from '../functions/topology';
import { readAppSettings } from '../lib/app-settings';
import { FEATURE_FLAGS } from '../lib/feature-flags';
import { StatefulStack } from '../lib/stateful-stack';
import { StatelessStack } from '../lib/stateless-stack';

const app = new App({ context: { ...FEATURE_FLAGS } });

// Env-agnostic stacks: synth needs no account, and the same assembly deploys to any account and region.
const stateful = new StatefulStack(app, 'SmartadStateful', {
  description: 'Smart Advisor OS: table, buckets, secrets and keys (retained)',
});
new StatelessStack(app, 'SmartadStateless', {
  description: 'Smart Advisor OS: functions and HTTP API',
  stateful: stateful.resources,
  topology,
  settings: readAppSettings(app.node),
});

Tags.of(app).add('project', 'smart-advisor-os');
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
