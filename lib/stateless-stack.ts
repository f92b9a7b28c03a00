import type { StackProps } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { BUCKET_DEFINITIONS } from '../functions/contracts/bucket-definitions';
import type { RouteGroup, Topology } from '../functions/topology';
import { AlarmTopic } from './alarm-topic';
import type { AppSettings } from './app-settings';
import { FunctionSchedule } from './function-schedule';
import { AdvisorHttpApi } from './http-api';
import { KeyUnavailableAlarm } from './key-unavailable-alarm';
import { MeetingPipeline } from './meeting-pipeline';
import { PlatformIntake } from './platform-intake';
import { ProjectFunction } from './project-function';
import type { StatefulResources } from './stateful-stack';
import { TableStreamTrigger } from './table-stream-trigger';
import { UploadTrigger } from './upload-trigger';

/** What a function may do with the stateful resources; the topology declares it per function. */
export type FunctionGrants = RouteGroup['grants'];

/** A function of the topology, whatever triggers it. */
export interface FunctionSpec {
  /** Lower-kebab; unique within the stack. */
  readonly name: string;
  readonly handler: string;
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly grants: FunctionGrants;
}

export interface StatelessStackProps extends StackProps {
  readonly stateful: StatefulResources;
  readonly topology: Topology;
  readonly settings: AppSettings;
}

const NO_GRANTS: FunctionGrants = { table: 'none', keyring: false, signingKey: false };

/**
 * Everything that runs: the topology's functions and the HTTP API in front of them. Built from the
 * topology, so a route exists here exactly when it exists in the local host.
 */
export class StatelessStack extends Stack {
  readonly functions = new Map<string, ProjectFunction>();
  readonly httpApi: AdvisorHttpApi;
  /** The meeting pipeline, once `topology.pipelineTasks` declares its functions. */
  readonly pipeline: MeetingPipeline | undefined;
  /** The platform intake state machine, once `topology.intakeTasks` declares its functions. */
  readonly intake: PlatformIntake | undefined;
  /** Any function reading a ciphertext whose key was retired. */
  readonly keyUnavailable: KeyUnavailableAlarm;
  private readonly stateful: StatefulResources;
  private readonly settings: AppSettings;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    this.stateful = props.stateful;
    this.settings = props.settings;
    const { topology } = props;

    const routeGroups = topology.routeGroups.map((group) => ({
      name: group.name,
      routes: group.routes,
      handler: this.addFunction(group).lambda,
    }));
    const fallback = this.addFunction({ ...topology.fallback, grants: NO_GRANTS });
    this.httpApi = new AdvisorHttpApi(this, 'HttpApi', { routeGroups, fallback: fallback.lambda });
    const streamAlarms: Alarm[] = [];
    for (const source of topology.eventSources) {
      const fn = this.addFunction(source);
      const id = `${pascalCase(source.name)}Trigger`;
      if (source.trigger.kind === 'table-stream') {
        const trigger = new TableStreamTrigger(this, id, {
          table: this.stateful.table,
          insertedSortKeyPrefix: source.trigger.insertedSortKeyPrefix,
          target: fn.lambda,
        });
        streamAlarms.push(trigger.errorsAlarm, trigger.iteratorAgeAlarm);
      } else {
        new UploadTrigger(this, id, {
          bucket: this.stateful.uploadsBucket,
          keyPrefix: source.trigger.keyPrefix,
          target: fn.lambda,
        });
      }
    }
    // No pipeline task declared: no state machine (MeetingPipeline refuses an ASL Task state without a function).
    this.pipeline =
      topology.pipelineTasks.length === 0
        ? undefined
        : new MeetingPipeline(this, 'MeetingPipeline', {
            tasks: topology.pipelineTasks.map((task) => ({
              state: task.state,
              fn: this.addFunction(task).lambda,
              timeoutSeconds: task.timeoutSeconds,
            })),
          });
    const intakeTasks = topology.intakeTasks ?? [];
    this.intake =
      intakeTasks.length === 0
        ? undefined
        : new PlatformIntake(this, 'PlatformIntake', {
            tasks: intakeTasks.map((task) => ({
              state: task.state,
              fn: this.addFunction(task).lambda,
              timeoutSeconds: task.timeoutSeconds,
            })),
          });
    this.keyUnavailable = new KeyUnavailableAlarm(this, 'EncryptionKeyUnavailable');
    new AlarmTopic(
      this,
      'Alarms',
      this.settings.alarmEmail ? { email: this.settings.alarmEmail } : {},
    ).notify([
      this.pipeline?.executionsFailedAlarm,
      this.pipeline?.archiveFailuresAlarm,
      this.intake?.executionsFailedAlarm,
      this.keyUnavailable.alarm,
      ...streamAlarms,
    ]);
    this.grantPipeline([...topology.routeGroups, ...topology.eventSources]);
    this.grantIntake(topology.routeGroups);
    for (const schedule of topology.schedules) {
      new FunctionSchedule(this, `${pascalCase(schedule.name)}Schedule`, {
        expression: schedule.expression,
        timezone: schedule.timezone,
        description: schedule.description,
        target: this.addFunction(schedule).lambda,
      });
    }
  }

  /**
   * Functions that start pipeline executions get the state machine's ARN and StartExecution on it; the
   * transcription callbacks get SendTaskSuccess/Failure. The state machine depends on the task functions only,
   * so these grants add no cycle.
   */
  private grantPipeline(specs: readonly { name: string; grants: FunctionGrants }[]): void {
    for (const spec of specs) {
      const access = spec.grants.pipeline;
      const fn = this.functions.get(spec.name);
      if (!access || !fn) continue;
      if (!this.pipeline)
        throw new Error(`${spec.name} needs the meeting pipeline, but no pipeline task is declared`);
      const { stateMachine } = this.pipeline;
      if (access === 'start') {
        fn.setVariable('PIPELINE_STATE_MACHINE_ARN', stateMachine.stateMachineArn);
        stateMachine.grantStartExecution(fn.lambda);
      } else {
        stateMachine.grantTaskResponse(fn.lambda);
      }
    }
  }

  /** Functions that start platform intakes (the webhooks) get its ARN and StartExecution on it. */
  private grantIntake(specs: readonly { name: string; grants: FunctionGrants }[]): void {
    for (const spec of specs) {
      const fn = this.functions.get(spec.name);
      if (spec.grants.intake !== 'start' || !fn) continue;
      if (!this.intake)
        throw new Error(`${spec.name} needs the platform intake, but no intake task is declared`);
      fn.setVariable('PLATFORM_INTAKE_STATE_MACHINE_ARN', this.intake.stateMachine.stateMachineArn);
      this.intake.stateMachine.grantStartExecution(fn.lambda);
    }
  }

  /**
   * Creates a project function with the full configuration `config.ts` requires (every resource name is
   * set) and IAM grants limited to `spec.grants`.
   */
  addFunction(spec: FunctionSpec): ProjectFunction {
    if (this.functions.has(spec.name))
      throw new Error(`Function name "${spec.name}" is used twice in the topology`);
    const {
      table,
      uploadsBucket,
      archiveBucket,
      keyringSecret,
      signingKeySecret,
      vendorKeysSecret,
      bucketArnExports,
    } = this.stateful;
    const fn = new ProjectFunction(this, pascalCase(spec.name), {
      name: spec.name,
      entry: spec.handler,
      description: spec.description,
      memoryMb: spec.memoryMb,
      timeoutSeconds: spec.timeoutSeconds,
      logLevel: this.settings.logLevel,
      environment: {
        CORS_ALLOWED_ORIGINS: this.settings.corsAllowedOrigins.join(','),
        SERVICE_VERSION: this.settings.serviceVersion,
      },
    })
      .useTable(table, spec.grants.table)
      .useSecret('KEYRING_SECRET_ID', keyringSecret, spec.grants.keyring ? 'read' : 'none')
      .useSecret('SIGNING_KEY_SECRET_ID', signingKeySecret, spec.grants.signingKey ? 'read' : 'none')
      .useBucket(
        BUCKET_DEFINITIONS.uploads.configKey,
        uploadsBucket,
        spec.grants.uploads ?? 'none',
        bucketArnExports.uploads,
      )
      .useBucket(
        BUCKET_DEFINITIONS.archive.configKey,
        archiveBucket,
        spec.grants.archive ?? 'none',
        bucketArnExports.archive,
      );
    // Only where granted: a function that sees the id would pick Claude or a provider and then be refused.
    if (spec.grants.vendorKeys) fn.useSecret('VENDOR_KEYS_SECRET_ID', vendorKeysSecret, 'read');
    this.functions.set(spec.name, fn);
    return fn;
  }
}

function pascalCase(kebab: string): string {
  return kebab
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
