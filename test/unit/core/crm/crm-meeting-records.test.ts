import { describe, expect, it } from 'vitest';
import { crmMeetingRecords } from '../../../../functions/core/crm/crm-meeting-records';
import { crmExtraction } from '../../../fakes/crm-deps';

const MEETING = { meetingId: 'm-9', title: 'Q1 review', meetingDate: '2026-03-02' };

describe('crmMeetingRecords', () => {
  it('says so when no verified note was extracted, and adds no link without an app URL', () => {
    const extraction = crmExtraction();
    for (const list of Object.values(extraction.notes)) list.length = 0;
    const { note } = crmMeetingRecords(MEETING, extraction);
    expect(note).toEqual({
      subject: 'Q1 review (2026-03-02)',
      body: 'No notes were extracted from this meeting.',
      externalId: 'm-9:note',
    });
  });

  it('writes one section per category with one line per verified point, then the link once, trailing slashes dropped', () => {
    const extraction = crmExtraction();
    const cite = extraction.notes.summary[0]?.evidence ?? [];
    extraction.notes.summary.push({ text: 'Second point.', evidence: cite, evidence_status: 'verified' });
    const { note } = crmMeetingRecords(MEETING, extraction, { appBaseUrl: 'https://app.example.com//' });
    expect(note.body).toBe(
      [
        'Summary\n- Annual review with Doug.\n- Second point.',
        'Financial situation\n- About $450,000 in the 401(k).',
        'Meeting in Smart Advisor OS: https://app.example.com/meetings/m-9',
      ].join('\n\n'),
    );
  });

  it('keeps a title of exactly 255 characters whole', () => {
    const extraction = crmExtraction();
    const first = extraction.action_items[0];
    if (!first) throw new Error('fixture has action items');
    first.description = 'x'.repeat(255);
    expect(crmMeetingRecords(MEETING, extraction).tasks[0]?.title).toBe('x'.repeat(255));
  });

  it('keeps task titles within 255 characters, the full text in the description, external ids by item index', () => {
    const extraction = crmExtraction();
    const long = `Call the custodian ${'about the transfer '.repeat(30)}`.trim();
    const first = extraction.action_items[0];
    if (!first) throw new Error('fixture has action items');
    first.description = long.slice(0, 500);
    const { tasks } = crmMeetingRecords(MEETING, extraction, { appBaseUrl: 'https://app.example.com/' });
    expect(tasks[0]?.title).toHaveLength(255);
    expect(tasks[0]?.title.endsWith('…')).toBe(true);
    expect(tasks[0]?.description).toContain(long.slice(0, 500));
    expect(tasks.map((t) => t.externalId)).toEqual(['m-9:task:0', 'm-9:task:2']);
    // Without a CRM user id for the advisor, nothing is assigned: the CRM's default applies.
    expect(tasks.every((t) => t.assigneeId === undefined)).toBe(true);
  });
});
