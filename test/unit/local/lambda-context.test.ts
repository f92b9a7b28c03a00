import { describe, expect, it } from 'vitest';
import { createLambdaContext } from '../../../lib/local/lambda-context';

describe('createLambdaContext', () => {
  it('names the function after the route group and counts down from its timeout', () => {
    let now = 1_000;
    const context = createLambdaContext({
      name: 'meetings',
      memoryMb: 512,
      timeoutSeconds: 10,
      region: 'us-east-1',
      clock: () => now,
    });
    expect(context.functionName).toBe('smartad-local-meetings');
    expect(context.invokedFunctionArn).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:smartad-local-meetings',
    );
    expect(context.memoryLimitInMB).toBe('512');
    expect(context.logGroupName).toBe('/aws/lambda/smartad-local-meetings');
    expect(context.getRemainingTimeInMillis()).toBe(10_000);
    now += 9_500;
    expect(context.getRemainingTimeInMillis()).toBe(500);
    now += 1_000;
    expect(context.getRemainingTimeInMillis()).toBe(0);
  });

  it('gives every invocation its own request id', () => {
    const options = { name: 'a', memoryMb: 128, timeoutSeconds: 1, region: 'us-east-1' };
    expect(createLambdaContext(options).awsRequestId).not.toBe(createLambdaContext(options).awsRequestId);
  });
});
