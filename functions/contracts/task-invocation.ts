import * as z from 'zod';

/**
 * What every Task state of both state machines adds to its payload besides the task's own contract: the
 * execution's name (`"executionName.$": "$$.Execution.Name"`), so the function's log lines name the execution
 * they belong to. Lambda's context does not carry it.
 */
export const TaskInvocationSchema = z.object({
  executionName: z.string().min(1).optional(),
  tenantId: z.string().optional(),
  meetingId: z.string().optional(),
});
