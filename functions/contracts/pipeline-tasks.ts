/**
 * The meeting pipeline's vocabulary, shared by the CDK app, the local runner and the task handlers: which Task
 * states `state-machines/meeting-pipeline.asl.json` has, how their function ARNs are substituted, and the metric
 * an archive failure emits. Pure data: no CDK, no AWS SDK, no file access.
 */

/** Repository-relative path of the one definition both hosts run. */
export const PIPELINE_DEFINITION_FILE = 'state-machines/meeting-pipeline.asl.json';

/**
 * Every Task state of the definition, in flow order; `test/unit/pipeline` fails when the file and this list
 * disagree. Each needs exactly one function in `topology.pipelineTasks`.
 */
export const PIPELINE_TASK_STATES = [
  'Transcribe',
  'PollTranscription',
  'Extract',
  'Save',
  'Archive',
  'ArchiveFailed',
  'ListCrmConnections',
  'SyncCrm',
  'MarkCompleted',
  'MarkFailed',
] as const;

export type PipelineTaskState = (typeof PIPELINE_TASK_STATES)[number];

/**
 * The `DefinitionSubstitutions` key of a Task state's function: the file says `"${ExtractFunctionArn}"`, CDK
 * substitutes the deployed ARN and the local runner a local one.
 */
export function functionArnSubstitution(state: string): string {
  return `${state}FunctionArn`;
}

/** `ArchiveFailed` emits this (EMF, value 1, unit Count, no dimensions); an alarm in `meeting-pipeline.ts` watches it. */
export const ARCHIVE_FAILURE_METRIC = { namespace: 'SmartAdvisor', metricName: 'ArchiveFailures' } as const;

/** Where each model call's tokens and cost go (EMF, dimensions `Model` and `Purpose`). */
export const LLM_USAGE_METRICS = { namespace: 'SmartAdvisor' } as const;

/** The log marker an archive failure carries, so a log query or subscription finds every one of them. */
export const COMPLIANCE_ACTION_REQUIRED = 'COMPLIANCE ACTION REQUIRED';
