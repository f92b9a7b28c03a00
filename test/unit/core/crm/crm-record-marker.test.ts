import { describe, expect, it } from 'vitest';
import {
  appendRecordMarker,
  formatRecordMarker,
  readRecordMarker,
} from '../../../../functions/core/crm/crm-record-marker';

describe('CRM record marker', () => {
  it('formats the external id in brackets', () => {
    expect(formatRecordMarker('m-1:task:a-2')).toBe('[smartad:m-1:task:a-2]');
  });

  it.each(['', 'has space', 'a]b', 'a[b', 'line\nbreak'])('refuses the external id %j', (id) => {
    expect(() => formatRecordMarker(id)).toThrow(/external id/);
  });

  it('puts the marker on the last line after a blank line, trimming trailing space', () => {
    expect(appendRecordMarker('Body text\n\n', 'm-1:note')).toBe('Body text\n\n[smartad:m-1:note]');
  });

  it('an empty text is the marker alone', () => {
    expect(appendRecordMarker('  ', 'm-1:note')).toBe('[smartad:m-1:note]');
  });

  it('reads back what it wrote, and nothing from text without a marker', () => {
    expect(readRecordMarker(appendRecordMarker('x', 'm-9:task:7'))).toBe('m-9:task:7');
    expect(readRecordMarker('<p>[smartad:m-2:note]</p>')).toBe('m-2:note');
    expect(readRecordMarker('no marker [smartad:] here')).toBeUndefined();
  });
});
