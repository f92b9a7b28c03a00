import { describe, expect, it } from 'vitest';
import { escapeHtml, textToNoteHtml } from '../../../../functions/integrations/salesforce/note-html';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('leaves ordinary text and non-ASCII alone', () => {
    expect(escapeHtml('Zoë paid £40 — fine')).toBe('Zoë paid £40 — fine');
  });
});

describe('textToNoteHtml', () => {
  it('gives each line its own paragraph and keeps blank lines visible', () => {
    expect(textToNoteHtml('one\n\ntwo')).toBe('<p>one</p><p><br></p><p>two</p>');
  });

  it('treats CRLF and CR as line breaks', () => {
    expect(textToNoteHtml('a\r\nb\rc')).toBe('<p>a</p><p>b</p><p>c</p>');
  });

  it('never lets note text become markup', () => {
    expect(textToNoteHtml('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });
});
