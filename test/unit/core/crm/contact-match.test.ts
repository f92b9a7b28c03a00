import { describe, expect, it } from 'vitest';
import { matchContact } from '../../../../functions/core/crm/contact-match';
import type { CrmContact } from '../../../../functions/core/crm/crm-provider';
import { personNameKey } from '../../../../functions/core/crm/person-name-key';

const contact = (id: string, name: string, extra: Partial<CrmContact> = {}): CrmContact => ({
  id,
  name,
  emails: [],
  ...extra,
});

describe('personNameKey', () => {
  it.each([
    ['Robert Smith', 'robert smith'],
    ['Bob Smith', 'robert smith'],
    ['  BOB   smith ', 'robert smith'],
    ['Robert J. Smith', 'robert smith'],
    ['Robert Smith Jr.', 'robert smith'],
    ['Robert Smith, Jr.', 'robert smith'],
    ['Smith, Robert', 'robert smith'],
    ['Smith, Bob J.', 'robert smith'],
    ['Mr. Robert Smith III', 'robert smith'],
    ['José Núñez', 'jose nunez'],
    ["Liam O'Brien", 'william obrien'],
    ['Liz Taylor-Burton', 'elizabeth burton'],
    ['Jim Beam II', 'james beam'],
    ['Bill Gates Sr', 'william gates'],
  ])('%s → %s', (name, key) => {
    expect(personNameKey(name)).toBe(key);
  });

  it.each(['Smith', 'Jr.', '', 'Mr. Smith', '—'])('%j is too weak to compare', (name) => {
    expect(personNameKey(name)).toBeUndefined();
  });
});

describe('matchContact', () => {
  const cases: {
    name: string;
    client: string;
    email?: string;
    candidates: CrmContact[];
    expected: ReturnType<typeof matchContact>;
  }[] = [
    {
      name: 'exact display name',
      client: 'Robert Smith',
      candidates: [contact('1', 'Robert Smith'), contact('2', 'Roberta Smith')],
      expected: { status: 'matched', contactId: '1', name: 'Robert Smith', by: 'exact' },
    },
    {
      name: 'exact first + last when the display name differs',
      client: 'Robert Smith',
      candidates: [contact('7', 'Smith Household', { firstName: 'Robert', lastName: 'Smith' })],
      expected: { status: 'matched', contactId: '7', name: 'Smith Household', by: 'exact' },
    },
    {
      name: 'exact wins over a normalised second',
      client: 'Bob Smith',
      candidates: [contact('1', 'Bob Smith'), contact('2', 'Robert Smith')],
      expected: { status: 'matched', contactId: '1', name: 'Bob Smith', by: 'exact' },
    },
    {
      name: 'nickname',
      client: 'Bob Smith',
      candidates: [contact('1', 'Robert Smith'), contact('2', 'Alice Smith')],
      expected: { status: 'matched', contactId: '1', name: 'Robert Smith', by: 'normalised' },
    },
    {
      name: 'case, punctuation, suffix, diacritics',
      client: 'jose nunez jr',
      candidates: [contact('3', 'José Núñez, Jr.')],
      expected: { status: 'matched', contactId: '3', name: 'José Núñez, Jr.', by: 'normalised' },
    },
    {
      name: 'last-name-first display',
      client: 'Liz Warren',
      candidates: [contact('4', 'Warren, Elizabeth A.')],
      expected: { status: 'matched', contactId: '4', name: 'Warren, Elizabeth A.', by: 'normalised' },
    },
    {
      name: 'two normalised matches are ambiguous: never a guess',
      client: 'Bill Jones',
      candidates: [contact('5', 'William Jones'), contact('6', 'Will Jones Sr.'), contact('9', 'Mary Jones')],
      expected: {
        status: 'not_matched',
        reason: 'ambiguous',
        candidates: [
          { id: '5', name: 'William Jones' },
          { id: '6', name: 'Will Jones Sr.' },
        ],
      },
    },
    {
      name: 'two exact matches are ambiguous',
      client: 'Mary Jones',
      candidates: [contact('8', 'Mary Jones'), contact('9', 'Mary Jones')],
      expected: {
        status: 'not_matched',
        reason: 'ambiguous',
        candidates: [
          { id: '8', name: 'Mary Jones' },
          { id: '9', name: 'Mary Jones' },
        ],
      },
    },
    {
      name: 'the email settles an ambiguous name',
      client: 'Mary Jones',
      email: 'MARY@example.com',
      candidates: [
        contact('8', 'Mary Jones', { emails: ['other@example.com'] }),
        contact('9', 'Mary Jones', { emails: ['mary@example.com'] }),
      ],
      expected: { status: 'matched', contactId: '9', name: 'Mary Jones', by: 'email' },
    },
    {
      name: 'email when no name matches',
      client: 'M. Jones',
      email: 'mj@example.com',
      candidates: [
        contact('10', 'Margaret Jones-Ito', { emails: ['mj@example.com'] }),
        contact('11', 'Pat Jones'),
      ],
      expected: { status: 'matched', contactId: '10', name: 'Margaret Jones-Ito', by: 'email' },
    },
    {
      name: 'nothing fits: not found, with what the CRM offered',
      client: 'Doug Miller',
      candidates: [contact('12', 'Dana Miller')],
      expected: {
        status: 'not_matched',
        reason: 'not_found',
        candidates: [{ id: '12', name: 'Dana Miller' }],
      },
    },
    {
      name: 'a different given name is not a match, even with the same surname',
      client: 'Robert Smith',
      candidates: [contact('13', 'Roberta Smith')],
      expected: {
        status: 'not_matched',
        reason: 'not_found',
        candidates: [{ id: '13', name: 'Roberta Smith' }],
      },
    },
    {
      name: 'no candidates at all',
      client: 'Doug Miller',
      candidates: [],
      expected: { status: 'not_matched', reason: 'not_found', candidates: [] },
    },
    {
      name: 'the same contact returned twice is one contact',
      client: 'Doug Miller',
      candidates: [contact('14', 'Douglas Miller'), contact('14', 'Douglas Miller')],
      expected: { status: 'matched', contactId: '14', name: 'Douglas Miller', by: 'normalised' },
    },
  ];

  it.each(cases)('$name', ({ client, email, candidates, expected }) => {
    expect(matchContact({ clientName: client, ...(email ? { email } : {}), candidates })).toEqual(expected);
  });

  it('keeps at most ten candidates, ids and names only', () => {
    const many = Array.from({ length: 15 }, (_, i) =>
      contact(String(i), `Sam Lee`, { emails: [`s${i}@example.com`], firstName: 'Sam', lastName: 'Lee' }),
    );
    const result = matchContact({ clientName: 'Sam Lee', candidates: many });
    expect(result.status).toBe('not_matched');
    if (result.status !== 'not_matched') return;
    expect(result.candidates).toHaveLength(10);
    expect(Object.keys(result.candidates[0] ?? {}).sort()).toEqual(['id', 'name']);
  });
});
