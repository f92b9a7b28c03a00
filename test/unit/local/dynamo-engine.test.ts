import { describe, expect, it } from 'vitest';
import { diedOfTakenPort } from '../../../lib/local/dynamo-engine';

// What DynamoDB Local printed when another process took its port between our probe and its bind (CI, 2026-12):
// the cause is near the top; the last lines, which errors show, are only stack frames.
const TAKEN = `Initializing DynamoDB Local with the following configuration:
Port:\t41235
InMemory:\tfalse
Exception in thread "main" java.io.IOException: Failed to bind to 127.0.0.1/127.0.0.1:41235
\tat org.eclipse.jetty.server.ServerConnector.openAcceptChannel(ServerConnector.java:349)
\tat org.eclipse.jetty.server.ServerConnector.open(ServerConnector.java:310)
Caused by: java.net.BindException: Address already in use
\tat java.base/sun.nio.ch.Net.bind0(Native Method)
\tat java.base/sun.nio.ch.Net.bind(Net.java:555)
\tat java.base/sun.nio.ch.ServerSocketChannelImpl.netBind(ServerSocketChannelImpl.java:337)
\tat java.base/sun.nio.ch.ServerSocketChannelImpl.bind(ServerSocketChannelImpl.java:294)
\tat org.eclipse.jetty.server.ServerConnector.openAcceptChannel(ServerConnector.java:344)
\t... 16 more`;

describe('diedOfTakenPort', () => {
  it('recognises a taken port from the whole output, though the last five lines are only stack frames', () => {
    expect(diedOfTakenPort(TAKEN)).toBe(true);
    const lastFive = TAKEN.split('\n').slice(-5).join('\n');
    expect(lastFive).not.toMatch(/BindException|already in use/);
  });

  it('does not retry other deaths', () => {
    expect(
      diedOfTakenPort(
        'Error: Could not find or load main class com.amazonaws.services.dynamodbv2.local.main.ServerRunner',
      ),
    ).toBe(false);
    expect(diedOfTakenPort('java.lang.OutOfMemoryError: Java heap space')).toBe(false);
    expect(diedOfTakenPort('')).toBe(false);
  });
});
