/**
 * How Step Functions' Lambda integration (`arn:aws:states:::lambda:invoke`) presents a function's outcome to a
 * state, reproduced for the in-process handlers of the local runner so the same `ResultSelector`, `Retry` and
 * `Catch` behave as on AWS.
 */

/** The `Parameters` the ASL file gives every Lambda task. */
export interface LambdaInvokeParameters {
  FunctionName: string;
  Payload: unknown;
}

export function asLambdaInvokeParameters(state: string, input: unknown): LambdaInvokeParameters {
  const candidate = input as Partial<LambdaInvokeParameters> | null;
  if (typeof candidate !== 'object' || candidate === null || typeof candidate.FunctionName !== 'string') {
    throw new Error(`Task state "${state}" must pass Parameters { FunctionName, Payload } to lambda:invoke`);
  }
  return { FunctionName: candidate.FunctionName, Payload: candidate.Payload ?? null };
}

/** A thrown function error as a task failure: `Error` is the error's name, `Cause` Lambda's error JSON. */
export class LambdaFunctionError extends Error {
  constructor(errorType: string, errorMessage: string) {
    super(JSON.stringify({ errorType, errorMessage }));
    this.name = errorType;
  }

  static from(thrown: unknown): LambdaFunctionError {
    if (thrown instanceof LambdaFunctionError) return thrown;
    if (thrown instanceof Error) return new LambdaFunctionError(thrown.name || 'Error', thrown.message);
    return new LambdaFunctionError('Error', String(thrown));
  }
}

/** A value as it crosses the Lambda boundary: JSON, with `undefined` as `null`. */
export function throughJson(value: unknown): unknown {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new LambdaFunctionError('Runtime.MarshalError', `Unable to marshal the response: ${String(error)}`);
  }
  return json === undefined ? null : JSON.parse(json);
}

/** What a `lambda:invoke` task returns to its state: metadata plus the function's result under `Payload`. */
export function lambdaInvokeResult(payload: unknown): {
  ExecutedVersion: string;
  Payload: unknown;
  StatusCode: number;
} {
  return { ExecutedVersion: '$LATEST', Payload: throughJson(payload), StatusCode: 200 };
}
