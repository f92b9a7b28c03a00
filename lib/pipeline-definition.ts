import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { functionArnSubstitution, PIPELINE_DEFINITION_FILE } from '../functions/contracts/pipeline-tasks';

/** The parts of an Amazon States Language state this project reads; everything else passes through untouched. */
export interface AslState {
  readonly Type: string;
  readonly Resource?: string;
  readonly Parameters?: Record<string, unknown>;
  readonly TimeoutSeconds?: number;
  readonly Retry?: readonly AslRetrier[];
  readonly Catch?: readonly AslCatcher[];
  readonly Next?: string;
  readonly Branches?: readonly AslMachine[];
  readonly ItemProcessor?: AslMachine;
  readonly Iterator?: AslMachine;
  readonly [field: string]: unknown;
}

export interface AslRetrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly JitterStrategy?: string;
}

export interface AslCatcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
}

export interface AslMachine {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, AslState>>;
  readonly [field: string]: unknown;
}

/** A Task state wherever it sits (top level, a Parallel branch, a Map processor). */
export interface TaskStateInfo {
  readonly name: string;
  readonly state: AslState;
  /** The `DefinitionSubstitutions` key its function ARN goes into. */
  readonly substitution: string;
  /** Step Functions' own deadline for the task; the local interpreter enforces the same. */
  readonly timeoutSeconds: number;
  /** `.waitForTaskToken`: the task ends on SendTaskSuccess/SendTaskFailure, not when the function returns. */
  readonly waitForTaskToken: boolean;
  /** Names of the Parallel/Map states that enclose it, outermost first; empty at the top level. */
  readonly enclosedBy: readonly string[];
}

/** The definition and its task states disagree with the topology (or with themselves). */
export class PipelineWiringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PipelineWiringError';
  }
}

/** Absolute path of `state-machines/meeting-pipeline.asl.json`. */
// Resolved here rather than through bundling.ts, which would load aws-cdk-lib into the local host.
export const PIPELINE_DEFINITION_PATH = fileURLToPath(
  new URL(`../${PIPELINE_DEFINITION_FILE}`, import.meta.url),
);

/** The definition as written, placeholders included. */
export function readPipelineDefinitionText(path: string = PIPELINE_DEFINITION_PATH): string {
  return readFileSync(path, 'utf8');
}

export function parsePipelineDefinition(text: string): AslMachine {
  const parsed: unknown = JSON.parse(text);
  if (!isMachine(parsed)) throw new PipelineWiringError('The pipeline definition has no StartAt or States');
  return parsed;
}

/** Every `${Name}` placeholder in the definition text, once each. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1] ?? ''))];
}

/** Replaces each `${Name}` with its value; throws on a placeholder without one, so nothing reaches AWS half-filled. */
export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  const missing = placeholdersIn(text).filter((name) => values[name] === undefined);
  if (missing.length > 0)
    throw new PipelineWiringError(`No value for ${missing.map((m) => `\${${m}}`).join(', ')}`);
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) => values[name] ?? '');
}

/**
 * The Task states of a definition, depth first. Names must be unique across the whole machine: the local
 * interpreter keys its task overrides by state name, and the topology does too.
 */
export function taskStatesOf(machine: AslMachine): TaskStateInfo[] {
  const tasks: TaskStateInfo[] = [];
  const seen = new Set<string>();
  const visit = (scope: AslMachine, enclosedBy: readonly string[]) => {
    for (const [name, state] of Object.entries(scope.States)) {
      if (seen.has(name))
        throw new PipelineWiringError(`State name "${name}" is used twice in the definition`);
      seen.add(name);
      if (state.Type === 'Task') tasks.push(describeTask(name, state, enclosedBy));
      for (const branch of state.Branches ?? []) visit(branch, [...enclosedBy, name]);
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor !== undefined) visit(processor, [...enclosedBy, name]);
    }
  };
  visit(machine, []);
  return tasks;
}

function describeTask(name: string, state: AslState, enclosedBy: readonly string[]): TaskStateInfo {
  const substitution = functionArnSubstitution(name);
  if (state.Parameters?.FunctionName !== `\${${substitution}}`) {
    throw new PipelineWiringError(
      `Task state "${name}" must name its function as Parameters.FunctionName "\${${substitution}}"`,
    );
  }
  if (state.TimeoutSeconds === undefined) {
    // The local interpreter would silently apply 60 s and Step Functions none at all.
    throw new PipelineWiringError(`Task state "${name}" has no TimeoutSeconds`);
  }
  return {
    name,
    state,
    substitution,
    timeoutSeconds: state.TimeoutSeconds,
    waitForTaskToken: state.Resource?.endsWith('.waitForTaskToken') ?? false,
    enclosedBy,
  };
}

/**
 * Pairs every Task state with its entry in `topology.pipelineTasks`. Returns `undefined` while the topology
 * declares no pipeline task at all (the handlers are not written yet: neither host runs the pipeline); once one
 * is declared, a Task state without an entry, an entry for no Task state, or two entries for one state throws.
 */
export function bindPipelineTasks<T extends { readonly state: string }>(
  taskStates: readonly TaskStateInfo[],
  pipelineTasks: readonly T[],
): Map<string, { info: TaskStateInfo; task: T }> | undefined {
  if (pipelineTasks.length === 0) return undefined;
  const byState = new Map<string, T>();
  const problems: string[] = [];
  for (const task of pipelineTasks) {
    if (byState.has(task.state)) problems.push(`"${task.state}" has two pipeline tasks`);
    byState.set(task.state, task);
  }
  const known = new Set(taskStates.map((info) => info.name));
  for (const state of byState.keys()) {
    if (!known.has(state)) problems.push(`"${state}" is not a Task state of ${PIPELINE_DEFINITION_FILE}`);
  }
  const missing = taskStates.filter((info) => !byState.has(info.name)).map((info) => info.name);
  if (missing.length > 0) problems.push(`no pipeline task for ${missing.map((m) => `"${m}"`).join(', ')}`);
  if (problems.length > 0) {
    throw new PipelineWiringError(
      `topology.pipelineTasks does not match the pipeline: ${problems.join('; ')}`,
    );
  }
  return new Map(taskStates.map((info) => [info.name, { info, task: byState.get(info.name) as T }] as const));
}

function isMachine(value: unknown): value is AslMachine {
  if (typeof value !== 'object' || value === null) return false;
  const { StartAt, States } = value as { StartAt?: unknown; States?: unknown };
  return typeof StartAt === 'string' && typeof States === 'object' && States !== null;
}
