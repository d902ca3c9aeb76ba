import { describe, expect, it } from 'vitest';
import { capList, nonEmpty, shareBudget, truncate } from '../../src/slack/views/limits.js';
import { button, header, section } from '../../src/slack/views/blocks.js';
import { escapeText } from '../../src/slack/views/text.js';

describe('truncate', () => {
  it('leaves short text alone', () => {
    expect(truncate('hello', 5)).toBe('hello');
  });

  it('cuts to the limit with an ellipsis', () => {
    const t = truncate('abcdefghij', 5);
    expect(t).toBe('abcd…');
    expect(t.length).toBe(5);
  });

  it('never cuts an escape in half', () => {
    const s = escapeText('a&b&c&d&e&f');
    for (let max = 2; max < s.length; max++) {
      const t = truncate(s, max);
      expect(t.length).toBeLessThanOrEqual(max);
      expect(t.slice(0, -1)).not.toMatch(/&[a-z]*$/);
    }
  });

  it('never cuts a Slack token such as a mention or a date in half', () => {
    const s = `due <!date^1760000000^{date_short}|2025-10-09> for <@U0123456789> now`;
    for (let max = 2; max < s.length; max++) {
      const t = truncate(s, max).slice(0, -1);
      expect((t.match(/</g) ?? []).length).toBe((t.match(/>/g) ?? []).length);
    }
  });

  it('never splits a surrogate pair', () => {
    const s = '😀'.repeat(10);
    for (let max = 2; max < s.length; max++) {
      expect(() => encodeURIComponent(truncate(s, max))).not.toThrow();
    }
  });

  it('gives plain_text at least one character, as Slack requires', () => {
    expect(nonEmpty('   ', 10)).toBe(' ');
  });
});

describe('budgets', () => {
  it('shows short lists whole and splits the rest fairly', () => {
    expect(shareBudget([3, 500, 500], 90)).toEqual([3, 43, 44]);
    expect(shareBudget([0, 0, 5], 90)).toEqual([0, 0, 5]);
    expect(shareBudget([10, 10], 0)).toEqual([0, 0]);
  });

  it('says how many items were left out', () => {
    expect(capList([1, 2, 3, 4], 3)).toEqual({ shown: [1, 2, 3], hidden: 1 });
  });
});

describe('block constructors', () => {
  it('apply the limits for section, header and button text', () => {
    const long = 'x'.repeat(5000);
    const s = section(long) as { text: { text: string } };
    const h = header(long) as { text: { text: string } };
    const b = button(long, 'a', { value: long });
    expect(s.text.text.length).toBe(3000);
    expect(h.text.text.length).toBe(150);
    expect(b.text.text.length).toBe(75);
    expect(b.value!.length).toBe(2000);
  });
});
