/** A Teams meeting artifact named by a Graph notification's `resource`. */
export interface GraphArtifactRef {
  kind: 'transcript' | 'recording';
  /** The organizer, when the resource names one (`users/{id}/…` subscriptions); else the subscription's user. */
  userId: string | undefined;
  meetingId: string;
  artifactId: string;
}

// Graph ids are GUIDs or base64 (which may hold `/`, `+`, `=`); quotes, `?`, `#`, `%` and whitespace never.
const ID = '[A-Za-z0-9+/=_.:@-]{1,1024}';
const segment = (name: string) => String.raw`${name}(?:\('(${ID})'\)|/([A-Za-z0-9+=_.:@-]{1,1024}))`;
const RESOURCE = new RegExp(
  String.raw`^/?(?:${segment('users')}/|communications/)${segment('onlineMeetings')}/(transcripts|recordings)(?:\('(${ID})'\)|/([A-Za-z0-9+=_.:@-]{1,1024}))$`,
);

/**
 * Reads `users('U')/onlineMeetings('M')/transcripts('T')`, `communications/onlineMeetings('M')/recordings('R')`
 * and the slash forms (`users/U/onlineMeetings/M/transcripts/T`). Anything else is `undefined`: the resource is
 * data from the wire, and only these shapes are ever turned into a Graph path.
 */
export function parseGraphArtifactResource(resource: string): GraphArtifactRef | undefined {
  const match = RESOURCE.exec(resource);
  if (!match) return undefined;
  const [, userQuoted, userSlash, meetingQuoted, meetingSlash, collection, artifactQuoted, artifactSlash] =
    match;
  const meetingId = meetingQuoted ?? meetingSlash;
  const artifactId = artifactQuoted ?? artifactSlash;
  if (meetingId === undefined || artifactId === undefined || [meetingId, artifactId].some(isDotSegment)) {
    return undefined;
  }
  const userId = userQuoted ?? userSlash;
  if (userId !== undefined && isDotSegment(userId)) return undefined;
  return { kind: collection === 'recordings' ? 'recording' : 'transcript', userId, meetingId, artifactId };
}

const WHOLE_ID = new RegExp(`^${ID}$`);

/**
 * A transcript or recording named by ids Graph answered with (a listing rather than a notification's resource):
 * held to the same id rules, so nothing else is ever turned into a Graph path. `undefined` when an id breaks them.
 */
export function graphArtifactRef(
  kind: GraphArtifactRef['kind'],
  userId: string,
  meetingId: string,
  artifactId: string,
): (GraphArtifactRef & { userId: string }) | undefined {
  const ids = [userId, meetingId, artifactId];
  if (ids.some((id) => !WHOLE_ID.test(id) || isDotSegment(id))) return undefined;
  return { kind, userId, meetingId, artifactId };
}

/** `.` and `..` would walk the Graph path even when percent-encoded by some servers. */
function isDotSegment(id: string): boolean {
  return /^\.+$/.test(id);
}
