import { describe, expect, it } from 'vitest';
import { shownField, shownText } from '../../src/config/shown.ts';

describe('user text shown back to the user', () => {
  it('replaces ANSI escapes, carriage returns and C1 controls, keeps tabs and newlines in text', () => {
    expect(shownText('a\u001b[2Jb\rc\td\ne\u009bf\u0000')).toBe('a\ufffd[2Jb\ufffdc\td\ne\ufffdf\ufffd');
  });
  it('puts a field on one line and cuts it to 80 characters', () => {
    expect(shownField('x\ny')).toBe('x\ufffdy');
    const long = 'k'.repeat(200);
    expect(shownField(long)).toHaveLength(80);
    expect(shownField(long).endsWith('…')).toBe(true);
    expect(shownField('short')).toBe('short');
  });
});
