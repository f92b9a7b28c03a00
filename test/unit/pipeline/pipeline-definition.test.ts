import { describe, expect, it } from 'vitest';
import { PIPELINE_TASK_STATES } from '../../../functions/contracts/pipeline-tasks';
import {
  bindPipelineTasks,
  PipelineWiringError,
  parsePipelineDefinition,
  readPipelineDefinitionText,
  substitute,
  taskStatesOf,
} from '../../../lib/pipeline-definition';

const tasks = taskStatesOf(parsePipelineDefinition(readPipelineDefinitionText()));
const everyTask = PIPELINE_TASK_STATES.map((state) => ({ state }));

describe('taskStatesOf', () => {
  it('finds Task states inside Parallel branches and Map processors, with their timeouts', () => {
    expect(tasks.find((task) => task.name === 'SyncCrm')).toMatchObject({
      enclosedBy: ['FanOut', 'SyncCrmConnections'],
      substitution: 'SyncCrmFunctionArn',
      timeoutSeconds: 180,
      waitForTaskToken: false,
    });
    expect(tasks.filter((task) => task.waitForTaskToken).map((task) => task.name)).toEqual(['Transcribe']);
  });

  it('refuses a Task state without TimeoutSeconds: the local interpreter would quietly use 60 s', () => {
    const definition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Task', Resource: 'x', Parameters: { FunctionName: `\${AFunctionArn}` }, End: true },
      },
    };
    expect(() => taskStatesOf(definition)).toThrow(/"A" has no TimeoutSeconds/);
  });

  it('refuses a Task state that names its function some other way', () => {
    const definition = {
      StartAt: 'A',
      States: {
        A: {
          Type: 'Task',
          Resource: 'x',
          Parameters: { FunctionName: 'arn:aws:lambda:…' },
          TimeoutSeconds: 5,
          End: true,
        },
      },
    };
    expect(() => taskStatesOf(definition)).toThrow(PipelineWiringError);
  });
});

describe('bindPipelineTasks', () => {
  it('binds nothing while the topology declares no pipeline task', () => {
    expect(bindPipelineTasks(tasks, [])).toBeUndefined();
  });

  it('pairs every Task state with its pipeline task', () => {
    const bound = bindPipelineTasks(tasks, everyTask);
    expect([...(bound?.keys() ?? [])]).toEqual([...PIPELINE_TASK_STATES]);
  });

  it('fails loudly when a Task state has no pipeline task, or a pipeline task no Task state', () => {
    expect(() => bindPipelineTasks(tasks, [{ state: 'Extract' }])).toThrow(
      /no pipeline task for "Transcribe"/,
    );
    expect(() => bindPipelineTasks(tasks, [...everyTask, { state: 'Summarise' }])).toThrow(
      /"Summarise" is not a Task state/,
    );
    expect(() => bindPipelineTasks(tasks, [...everyTask, { state: 'Save' }])).toThrow(/"Save" has two/);
  });
});

describe('substitute', () => {
  it('fills every placeholder and refuses to leave one unfilled', () => {
    expect(substitute(`{"a":"\${X}","b":"\${X}"}`, { X: 'arn' })).toBe('{"a":"arn","b":"arn"}');
    expect(() => substitute(`{"a":"\${X}","b":"\${Y}"}`, { X: 'arn' })).toThrow(/No value for \$\{Y\}/);
  });
});
