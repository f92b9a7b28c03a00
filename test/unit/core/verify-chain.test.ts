import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_ROLES } from '../../../functions/contracts/principal';
import type { AuditEntry } from '../../../functions/core/audit/audit-entry';
import {
  type AuditEvent,
  auditEntryFields,
  canonicalJson,
  GENESIS_HASH,
  hashEvent,
  InvalidAuditEntryError,
  nextAuditEvent,
} from '../../../functions/core/audit/audit-event';
import { verifyChain } from '../../../functions/core/audit/verify-chain';

const T0 = Date.UTC(2031, 0, 1);
/** `printf '%s' '<the canonical JSON below>' | sha256sum` */
const GOLDEN_HASH = 'bc1e03a8567f04988ba139142b70b7198b12c92621000b877d4ecd7b6ce20ba3';

function buildChain(entries: readonly AuditEntry[], chain = 'firm-a'): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (const [i, entry] of entries.entries()) {
    const last = events.at(-1);
    events.push(
      nextAuditEvent({
        chain,
        head: last ? { seq: last.seq, hash: last.hash } : undefined,
        at: new Date(T0 + i * 1000).toISOString(),
        entry,
      }),
    );
  }
  return events;
}

const headOf = (events: readonly AuditEvent[]) => {
  const last = events.at(-1);
  return last ? { seq: last.seq, hash: last.hash } : { seq: 0 as const, hash: GENESIS_HASH };
};

const entryArb: fc.Arbitrary<AuditEntry> = fc.record(
  {
    action: fc.constantFrom(
      'auth.login_succeeded',
      'user.role_changed',
      'meeting.read',
      'firm.settings_updated',
    ),
    outcome: fc.constantFrom('success' as const, 'failure' as const),
    actor: fc.record({
      userId: fc.string({ minLength: 1, maxLength: 12 }),
      role: fc.constantFrom(...ALL_ROLES),
    }),
    target: fc.record({ type: fc.constantFrom('user', 'meeting'), id: fc.string({ maxLength: 12 }) }),
    ip: fc.ipV4(),
    details: fc.dictionary(
      fc.stringMatching(/^[a-z][a-z_]{0,10}$/),
      fc.oneof(fc.string({ maxLength: 16 }), fc.integer(), fc.boolean()),
      { maxKeys: 4 },
    ),
  },
  { requiredKeys: ['action', 'outcome', 'ip', 'details'] },
);
const chainArb = fc.array(entryArb, { minLength: 1, maxLength: 12 }).map((entries) => buildChain(entries));
const chainOf2Arb = fc.array(entryArb, { minLength: 2, maxLength: 12 }).map((entries) => buildChain(entries));

const flipHex = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);

/** A different value for one field of a stored event, as someone editing the raw item might write. */
function changed(event: AuditEvent, field: string, salt: string): Record<string, unknown> {
  const copy: Record<string, unknown> = structuredClone(event);
  switch (field) {
    case 'seq':
      copy.seq = event.seq + 1 + salt.length;
      break;
    case 'chain':
      copy.chain = `${event.chain}-${salt}x`;
      break;
    case 'at':
      copy.at = new Date(Date.parse(event.at) + 1 + salt.length).toISOString();
      break;
    case 'action':
      copy.action = event.action === 'meeting.read' ? 'meeting.deleted' : 'meeting.read';
      break;
    case 'outcome':
      copy.outcome = event.outcome === 'success' ? 'failure' : 'success';
      break;
    case 'actor':
      copy.actor = event.actor
        ? salt.length % 2 === 0
          ? undefined
          : { ...event.actor, role: event.actor.role === 'admin' ? 'advisor' : 'admin' }
        : { userId: `u${salt}`, role: 'admin' };
      if (copy.actor === undefined) delete copy.actor;
      break;
    case 'target':
      copy.target = event.target
        ? { ...event.target, id: `${event.target.id}${salt}x` }
        : { type: 'user', id: salt };
      break;
    case 'ip':
      copy.ip = event.ip === '192.0.2.1' ? '192.0.2.2' : '192.0.2.1';
      break;
    case 'details':
      copy.details = { ...event.details, [`k${salt.length}x`]: salt };
      break;
    case 'prevHash':
      copy.prevHash = flipHex(event.prevHash);
      break;
    case 'hash':
      copy.hash = flipHex(event.hash);
      break;
    default:
      throw new Error(`unknown field ${field}`);
  }
  return copy;
}

const FIELDS = [
  'seq',
  'chain',
  'at',
  'action',
  'outcome',
  'actor',
  'target',
  'ip',
  'details',
  'prevHash',
  'hash',
] as const;

describe('verifyChain', () => {
  it('verifies an intact chain of any length, and the empty chain', () => {
    fc.assert(
      fc.property(chainArb, (events) => {
        expect(verifyChain(events, headOf(events))).toEqual({ verified: true, checked: events.length });
      }),
    );
    expect(verifyChain([], { seq: 0, hash: GENESIS_HASH })).toEqual({ verified: true, checked: 0 });
  });

  it('detects a change to any single field of any event, at that event', () => {
    fc.assert(
      fc.property(
        chainArb,
        fc.nat(),
        fc.constantFrom(...FIELDS),
        fc.string({ maxLength: 4 }),
        (events, pick, field, salt) => {
          const index = pick % events.length;
          const tampered: unknown[] = [...events];
          tampered[index] = changed(events[index] as AuditEvent, field, salt);
          const result = verifyChain(tampered, headOf(events));
          expect(result.verified).toBe(false);
          expect(result.firstBrokenSeq).toBe(index + 1);
          expect(result.checked).toBe(index);
        },
      ),
    );
  });

  it('detects a middle event rewritten and re-hashed, at the link of the event after it', () => {
    // The forgery hashes to its own `hash`, and the head still matches the untouched last event: only the next
    // event's prevHash link can see it.
    fc.assert(
      fc.property(
        fc.array(entryArb, { minLength: 3, maxLength: 12 }).map((entries) => buildChain(entries)),
        fc.nat(),
        fc.string({ maxLength: 4 }),
        (events, pick, salt) => {
          const index = 1 + (pick % (events.length - 2));
          const { hash: _old, ...unsealed } = changed(
            events[index] as AuditEvent,
            'details',
            salt,
          ) as AuditEvent;
          const forged = { ...unsealed, hash: hashEvent(unsealed) };
          const tampered = events.with(index, forged);
          expect(
            verifyChain([forged], undefined, undefined, { seq: index, hash: events[index - 1]?.hash ?? '' }),
          ).toEqual({ verified: true, checked: index + 1 });
          const result = verifyChain(tampered, headOf(events));
          expect(result).toMatchObject({ verified: false, firstBrokenSeq: index + 2, checked: index + 1 });
          expect(result.reason).toBe(`event ${index + 2} does not link to the event before it`);
        },
      ),
    );
  });

  it('detects a key added inside a nested object, which parsing alone would drop', () => {
    const events = buildChain([
      {
        action: 'user.role_changed',
        outcome: 'success',
        actor: { userId: 'u1', role: 'admin' },
        ip: '192.0.2.9',
      },
    ]);
    const tampered = [{ ...events[0], actor: { userId: 'u1', role: 'admin', note: 'x' } }];
    expect(verifyChain(tampered, headOf(events))).toMatchObject({ verified: false, firstBrokenSeq: 1 });
  });

  it('detects a deleted event, at its position', () => {
    fc.assert(
      fc.property(chainOf2Arb, fc.nat(), (events, pick) => {
        const index = pick % events.length;
        const remaining = events.filter((_, i) => i !== index);
        expect(verifyChain(remaining, headOf(events))).toMatchObject({
          verified: false,
          firstBrokenSeq: index + 1,
          checked: index,
        });
      }),
    );
  });

  it('detects two swapped events', () => {
    fc.assert(
      fc.property(chainOf2Arb, fc.nat(), (events, pick) => {
        const index = pick % (events.length - 1);
        const swapped = [...events];
        [swapped[index], swapped[index + 1]] = [events[index + 1] as AuditEvent, events[index] as AuditEvent];
        expect(verifyChain(swapped, headOf(events))).toMatchObject({
          verified: false,
          firstBrokenSeq: index + 1,
        });
      }),
    );
  });

  it('detects a truncated tail through the head, which the links alone cannot see', () => {
    fc.assert(
      fc.property(chainArb, fc.nat(), (events, pick) => {
        const keep = pick % events.length;
        const truncated = events.slice(0, keep);
        expect(verifyChain(truncated)).toEqual({ verified: true, checked: keep });
        const result = verifyChain(truncated, headOf(events));
        expect(result).toMatchObject({ verified: false, firstBrokenSeq: keep + 1, checked: keep });
        expect(result.reason).toMatch(/removed from the end/);
      }),
    );
  });

  it('detects an event beyond the head, and a last event replaced by a well-formed forgery', () => {
    const entry: AuditEntry = { action: 'meeting.read', outcome: 'success', ip: '192.0.2.1' };
    const events = buildChain([entry, entry, entry]);
    expect(verifyChain(events, headOf(events.slice(0, 2)))).toMatchObject({
      verified: false,
      firstBrokenSeq: 3,
      checked: 2,
    });
    const forged = nextAuditEvent({
      chain: 'firm-a',
      head: headOf(events.slice(0, 2)),
      at: new Date(T0).toISOString(),
      entry: { ...entry, details: { note: 'rewritten' } },
    });
    const result = verifyChain([...events.slice(0, 2), forged], headOf(events));
    expect(result).toMatchObject({ verified: false, firstBrokenSeq: 3, checked: 2 });
    expect(result.reason).toMatch(/head/);
  });

  it('reports a malformed stored item as broken there instead of skipping it', () => {
    const entry: AuditEntry = { action: 'meeting.read', outcome: 'success', ip: '192.0.2.1' };
    const events = buildChain([entry, entry, entry]);
    for (const bad of [
      { ...events[1], outcome: 'maybe' },
      { ...events[1], expires_at: 1 },
      { ...events[1], details: new Set(['a']) },
      null,
      'event',
    ]) {
      const result = verifyChain([events[0], bad, events[2]], headOf(events));
      expect(result).toMatchObject({ verified: false, firstBrokenSeq: 2, checked: 1 });
      expect(result.reason).toMatch(/malformed/);
    }
  });

  it('detects a whole chain copied from another firm when the expected chain is given', () => {
    const events = buildChain([{ action: 'meeting.read', outcome: 'success', ip: '192.0.2.1' }], 'firm-b');
    expect(verifyChain(events, headOf(events))).toMatchObject({ verified: true });
    expect(verifyChain(events, headOf(events), 'firm-a')).toMatchObject({
      verified: false,
      firstBrokenSeq: 1,
    });
  });
});

describe('verifyChain: what it says is wrong', () => {
  const entry: AuditEntry = { action: 'meeting.read', outcome: 'success', ip: '192.0.2.1' };
  const events = buildChain([entry, entry, entry]);

  it('names a deleted or reordered event by the seq it expected and found', () => {
    expect(verifyChain([events[0], events[2]], headOf(events))).toEqual({
      verified: false,
      checked: 1,
      firstBrokenSeq: 2,
      reason: 'expected event 2 but found 3: an event was deleted or reordered',
    });
  });

  it('names a changed event, an event of another chain and an event beyond the head', () => {
    const changedEvent = { ...events[1], ip: '192.0.2.99' };
    expect(verifyChain([events[0], changedEvent, events[2]], headOf(events)).reason).toBe(
      'event 2 was changed: its content does not match its hash',
    );
    expect(verifyChain(events, headOf(events), 'firm-b').reason).toBe(
      'event 1 belongs to chain firm-a, not firm-b',
    );
    expect(verifyChain(events, headOf(events.slice(0, 1))).reason).toBe(
      'event 2 lies beyond the chain head (1): it was not appended by the log',
    );
  });

  it('names the field of a malformed event, or the event itself when it is not an object', () => {
    expect(verifyChain([events[0], { ...events[1], outcome: 'maybe' }], headOf(events)).reason).toMatch(
      /^event 2 is malformed \(outcome: /,
    );
    expect(verifyChain([events[0], { ...events[1], actor: { userId: 'u', role: 'x' } }]).reason).toMatch(
      /^event 2 is malformed \(actor\.role: /,
    );
    expect(verifyChain(['event'], headOf(events)).reason).toMatch(/^event 1 is malformed \(event: /);
  });

  it('checks the head hash even when the head is at seq 0, once the chain has events', () => {
    const wrongHead = { seq: 3, hash: 'f'.repeat(64) };
    expect(verifyChain(events, wrongHead)).toMatchObject({ verified: false, firstBrokenSeq: 3, checked: 2 });
    expect(verifyChain([], { seq: 0, hash: 'f'.repeat(64) })).toEqual({ verified: true, checked: 0 });
  });
});

describe('audit events', () => {
  it('keeps exactly the actor and target fields the schema knows', () => {
    const fields = auditEntryFields({
      action: 'user.role_changed',
      outcome: 'success',
      actor: { userId: 'u1', role: 'admin' },
      target: { type: 'user', id: 'u2' },
      ip: '192.0.2.1',
    });
    expect(fields).toEqual({
      action: 'user.role_changed',
      outcome: 'success',
      actor: { userId: 'u1', role: 'admin' },
      target: { type: 'user', id: 'u2' },
      ip: '192.0.2.1',
      details: {},
    });
  });

  it('names the entry’s bad fields in InvalidAuditEntryError, keeping the zod error as cause', () => {
    const error = (() => {
      try {
        auditEntryFields({ action: 'LoggedIn', outcome: 'success', ip: '192.0.2.1' });
      } catch (e) {
        return e as InvalidAuditEntryError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidAuditEntryError);
    expect(error?.code).toBe('invalid_audit_entry');
    expect(error?.message).toMatch(/^Audit entry is invalid — action: /);
    expect(error?.issues.map((i) => i.path)).toEqual(['action']);
    expect(error?.cause).toBeDefined();
  });

  it('starts a chain at seq 1 from the genesis hash and links each event to the one before', () => {
    const events = buildChain([
      { action: 'auth.login_failed', outcome: 'failure', ip: '192.0.2.1' },
      {
        action: 'auth.login_succeeded',
        outcome: 'success',
        actor: { userId: 'u1', role: 'advisor' },
        ip: '192.0.2.1',
      },
    ]);
    expect(events[0]).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, details: {} });
    expect(events[1]?.seq).toBe(2);
    expect(events[1]?.prevHash).toBe(events[0]?.hash);
    expect(events[0]).not.toHaveProperty('actor');
  });

  it('refuses an entry that does not match the audit entry schema', () => {
    expect(() =>
      nextAuditEvent({
        chain: 'firm-a',
        head: undefined,
        at: new Date(T0).toISOString(),
        entry: { action: 'LoggedIn', outcome: 'success', ip: '192.0.2.1' },
      }),
    ).toThrow(InvalidAuditEntryError);
  });

  it('hashes a fixed canonical form: this value may never change, or every stored chain breaks', () => {
    const event = {
      seq: 1,
      chain: 'firm-a',
      at: '2031-01-01T00:00:00.000Z',
      action: 'user.role_changed',
      outcome: 'success' as const,
      actor: { userId: 'u-1', role: 'admin' as const },
      target: { type: 'user', id: 'u-2' },
      ip: '192.0.2.1',
      details: { to: 'compliance', from: 'advisor' },
      prevHash: GENESIS_HASH,
    };
    expect(canonicalJson(event)).toBe(
      '{"action":"user.role_changed","actor":{"role":"admin","userId":"u-1"},"at":"2031-01-01T00:00:00.000Z",' +
        '"chain":"firm-a","details":{"from":"advisor","to":"compliance"},"ip":"192.0.2.1","outcome":"success",' +
        `"prevHash":"${GENESIS_HASH}","seq":1,"target":{"id":"u-2","type":"user"}}`,
    );
    expect(hashEvent(event)).toBe(GOLDEN_HASH);
  });
});

describe('canonicalJson', () => {
  it('gives the same text whatever the key order, with no whitespace', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
    expect(canonicalJson({ b: [1, { d: true, c: null }], a: 'x' })).toBe(
      '{"a":"x","b":[1,{"c":null,"d":true}]}',
    );
  });

  it('takes objects without a prototype, and says which value has no JSON form', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: 2 });
    expect(canonicalJson(bare)).toBe('{"a":2,"b":1}');
    expect(() => canonicalJson(1n)).toThrow('canonicalJson: a bigint has no JSON form');
    expect(() => canonicalJson(Number.NaN)).toThrow('canonicalJson: NaN has no JSON form');
    expect(() => canonicalJson(new Date(0))).toThrow(
      'canonicalJson: only plain objects have a canonical form',
    );
  });

  it('leaves out undefined properties and refuses values with no single JSON form', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, new Date(0), new Set(), [undefined], 1n]) {
      expect(() => canonicalJson(bad)).toThrow(TypeError);
    }
  });
});
