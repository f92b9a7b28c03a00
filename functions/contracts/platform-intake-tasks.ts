import * as z from 'zod';
import { MeetingRefSchema, TaskErrorSchema } from './pipeline-task-contracts';
import { PlatformSchema } from './platform';

/**
 * The platform intake state machine's vocabulary, shared by the CDK app, the local runner and its task
 * handlers (as `pipeline-tasks.ts` is for the meeting pipeline). Pure data: no CDK, no AWS SDK, no file access.
 */
export const PLATFORM_INTAKE_DEFINITION_FILE = 'state-machines/platform-intake.asl.json';

/** Every Task state of the definition; each needs exactly one function in `topology.intakeTasks`. */
export const PLATFORM_INTAKE_TASK_STATES = ['FetchPlatformArtifact', 'MarkIntakeFailed'] as const;
export type PlatformIntakeTaskState = (typeof PLATFORM_INTAKE_TASK_STATES)[number];

/** The execution input (what the webhooks start it with). */
export const PlatformIntakeInputSchema = MeetingRefSchema.extend({ platform: PlatformSchema });

/** Payload and result of every Task state (ids and outcomes only: the state machine logs execution data). */
export const PLATFORM_INTAKE_TASK_CONTRACTS = {
  FetchPlatformArtifact: {
    payload: PlatformIntakeInputSchema,
    result: z.object({ outcome: z.enum(['stored', 'skipped']) }).loose(),
  },
  MarkIntakeFailed: {
    payload: MeetingRefSchema.extend({ error: TaskErrorSchema }),
    result: z.unknown(),
  },
} as const satisfies Record<PlatformIntakeTaskState, { payload: z.ZodType; result: z.ZodType }>;
