import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { neutralise, toCell, hoursBetween } from '../../src/domain/evidence/export/csv-cells.js';
import { stringify } from 'csv-stringify/sync';
import { csvSource } from '../../src/domain/evidence/export/csv-entry.js';

type Row = { name: unknown; note: unknown };

async function writeCsv(rows: Row[]): Promise<string> {
  const { source, writer } = csvSource<Row>(
    [
      { header: 'name', value: (r) => r.name },
      { header: 'note', value: (r) => r.note },
    ],
    Readable.from(rows),
  );
  let out = '';
  await pipeline(source, writer, new Writable({ write: (c: Buffer, _e, done) => ((out += c.toString('utf8')), done()) }));
  return out;
}

describe('neutralise', () => {
  it.each(['=cmd|" /C calc"!A0', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '＝1'])('prefixes a quote to %j', (cell) => {
    expect(neutralise(cell)).toBe(`'${cell}`);
  });

  it.each(['plain', 'a=b', '1-2', 'Łukasz Żółć', '山田太郎', 'Алексей', '', "'already"])('leaves %j alone', (cell) => {
    expect(neutralise(cell)).toBe(cell);
  });
});

describe('toCell', () => {
  it('writes nothing for an absent value, never a placeholder', () => {
    expect([toCell(null), toCell(undefined), toCell(''), toCell(Number.NaN), toCell(new Date('nope'))]).toEqual(['', '', '', '', '']);
  });

  it('writes times in UTC ISO 8601 and booleans as yes/no', () => {
    expect(toCell(new Date('2026-10-05T12:00:00+02:00'))).toBe('2026-10-05T10:00:00.000Z');
    expect([toCell(true), toCell(false)]).toEqual(['yes', 'no']);
  });

  it('neutralises numbers too, as they reach the file as text', () => {
    expect(toCell(-1.5)).toBe("'-1.5");
    expect(toCell(68.07)).toBe('68.07');
  });

  it('rounds hours to two decimals', () => {
    expect(hoursBetween(new Date('2026-10-05T10:01:00Z'), new Date('2026-10-08T06:05:00Z'))).toBe(68.07);
    expect(hoursBetween(null, new Date())).toBeNull();
  });
});

describe('csvSource', () => {
  it('writes RFC 4180: a header row, CRLF records, awkward fields quoted', async () => {
    const text = await writeCsv([{ name: 'a,b', note: 'say "hi"' }, { name: 'line\nbreak', note: 'cr\ronly' }]);
    expect(text).toBe('name,note\r\n"a,b","say ""hi"""\r\n"line\nbreak","cr\ronly"\r\n');
  });

  it('round-trips names in any script, formulas neutralised, empties empty', async () => {
    const rows = [
      { name: 'Łukasz Żółć', note: '=cmd' },
      { name: '山田太郎', note: '+1' },
      { name: 'Алексей', note: '-1' },
      { name: 'Zoë', note: '@SUM(A1)' },
      { name: 'tab', note: '\tx' },
      { name: 'cr', note: '\rx' },
      { name: 'empty', note: null },
    ];
    const back = parse(await writeCsv(rows), { columns: true }) as { name: string; note: string }[];
    expect(back).toEqual([
      { name: 'Łukasz Żółć', note: "'=cmd" },
      { name: '山田太郎', note: "'+1" },
      { name: 'Алексей', note: "'-1" },
      { name: 'Zoë', note: "'@SUM(A1)" },
      { name: 'tab', note: "'\tx" },
      { name: 'cr', note: "'\rx" },
      { name: 'empty', note: '' },
    ]);
  });

  it('writes the very bytes csv-stringify wrote for the same cells, across chunk boundaries', async () => {
    const alphabet = ['a', 'Z', ',', '"', '\r', '\n', ' ', 'ł', '山', '=', '-', '\t', "'", '0'];
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const text = () => Array.from({ length: Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const rows: Row[] = Array.from({ length: 20_000 }, () => ({ name: text(), note: random() < 0.1 ? null : text() }));
    const cells = rows.map((r) => [toCell(r.name), toCell(r.note)]);
    const expected = stringify(cells, { header: true, columns: ['name', 'note'], record_delimiter: 'windows', quote_record_delimiter: true });
    expect(await writeCsv(rows)).toBe(expected);
    expect(await writeCsv([])).toBe(stringify([], { header: true, columns: ['name', 'note'], record_delimiter: 'windows', quote_record_delimiter: true }));
  });
});
