import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileConnector, FileFormatError, type FileProblem } from '../../src/connectors/file/index.js';
import { PermanentError, type DirectoryPage } from '../../src/connectors/types.js';

let dir: string;
let n = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'attest-file-bad-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'system,account_id,login,email,name,status,last_login,department,title,manager_email,resource,resource_kind,privileged,owner_email,via';

function write(content: string, ext = 'csv'): string {
  const path = join(dir, `f${++n}.${ext}`);
  writeFileSync(path, content);
  return path;
}

/** Reads a file that must be refused; returns the error and the pages that leaked out (none). */
async function refuse(path: string): Promise<{ error: FileFormatError; pages: DirectoryPage[] }> {
  const pages: DirectoryPage[] = [];
  try {
    for await (const page of createFileConnector({ path }).read()) pages.push(page);
  } catch (error) {
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error).toBeInstanceOf(PermanentError);
    return { error: error as FileFormatError, pages };
  }
  throw new Error('the file was accepted');
}

const where = (problems: FileProblem[]) => problems.map((p) => [p.line, p.column]);

describe('File connector: a malformed file is refused whole', () => {
  it('names every bad line and column of a CSV, and yields nothing from it', async () => {
    const path = write(
      [
        HEADER,
        'aws,ana,,ana@example.com,Ana,active,2026-09-01,,,,ReadOnly,role,false,,',
        'aws,ben,,ben@example.com,Ben,actve,,,,,ReadOnly,role,,,',
        'aws,cat,,cat@example,Cat,active,09/30/2026,,,boss@,ReadOnly,role,maybe,,',
        'aws,,,dan@example.com,Dan,active,,,,,ReadOnly,rol,,,sideways',
        'aws,ana,,anna@example.com,Ana,suspended,,,,,Admin,role,true,,',
        'aws,eve,,eve@example.com,Eve,active,,,,,ReadOnly,role,true,,',
      ].join('\n'),
    );

    const { error, pages } = await refuse(path);

    expect(pages).toEqual([]);
    expect(where(error.problems)).toEqual([
      [3, 'status'],
      [4, 'email'],
      [4, 'last_login'],
      [4, 'manager_email'],
      [4, 'privileged'],
      [5, 'account_id'],
      [5, 'resource_kind'],
      [5, 'via'],
      [6, 'email'],
      [6, 'status'],
      [7, 'privileged'],
    ]);
    expect(error.message).toContain(
      'line 3, column status: expected one of staged|provisioned|active|recovery|locked_out|password_expired|suspended|deprovisioned|archived, got "actve"',
    );
    expect(error.message).toContain('line 4, column last_login: expected an ISO 8601 date');
    expect(error.message).toContain('line 5, column account_id: required');
    expect(error.message).toContain('line 6, column email: conflicts with line 2 ("ana@example.com" there, "anna@example.com" here)');
    expect(error.message).toContain('line 7, column privileged: conflicts with line 2 (false there, true here)');
    expect(error.message).toContain('11 problems');
  });

  it('refuses a header that lacks required columns or has unknown ones', async () => {
    const { error } = await refuse(write('system,login,Email,stauts,email\nhr,ana,ana@example.com,active,x@example.com\n'));
    expect(error.problems).toEqual([
      { line: 1, column: 'stauts', message: expect.stringContaining('unknown column') },
      { line: 1, column: 'email', message: 'column appears twice' },
      { line: 1, column: 'account_id', message: 'missing required column' },
    ]);
  });

  it('refuses an empty file, a header without rows, and a semicolon-separated file', async () => {
    expect((await refuse(write(''))).error.problems).toEqual([{ line: 1, column: '', message: 'the file is empty' }]);
    expect((await refuse(write(`${HEADER}\n\n`))).error.problems).toEqual([{ line: 2, column: '', message: 'no rows after the header' }]);
    expect((await refuse(write('system;account_id\nhr;1\n'))).error.message).toContain('separated by commas');
  });

  it('counts lines from where a row starts, through quoted line breaks and blank lines', async () => {
    const path = write(
      ['system,account_id,name,status', 'crm,1,"Smith, ""Jo""', 'Line two",active', '', 'crm,2,Kim,gone', 'crm,3,Lee', ',,,'].join('\n'),
    );
    const { error } = await refuse(path);
    expect(error.problems).toEqual([
      { line: 5, column: 'status', message: expect.stringContaining('got "gone"') },
      { line: 6, column: '', message: 'expected 4 fields as in the header, got 3' },
    ]);
  });

  it('refuses an unterminated quote, naming the line', async () => {
    const { error } = await refuse(write('system,account_id,name\ncrm,1,"Kim\ncrm,2,Lee\n'));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.message).toMatch(/^not valid CSV: Quote Not Closed/);
  });

  it('refuses access through a group the file does not list as a group', async () => {
    const path = write(
      [
        'system,account_id,resource,resource_kind,via',
        'aws,ana,developers,app,',
        'aws,ana,PowerUser,role,group:developers',
        'aws,ben,PowerUser,role,group:ops',
      ].join('\n'),
    );
    const { error } = await refuse(path);
    expect(error.problems).toEqual([
      { line: 3, column: 'via', message: '"developers" is not listed as a group resource of aws' },
      { line: 4, column: 'via', message: '"ops" is not listed as a group resource of aws' },
    ]);
  });

  it('refuses resource details on a row that names no resource', async () => {
    const { error } = await refuse(write('system,account_id,resource,privileged\naws,ana,,true\n'));
    expect(error.problems).toEqual([{ line: 2, column: 'resource', message: 'required when privileged is set' }]);
  });

  it("refuses owner_email with no resource on a person's account (there it names a resource's owner)", async () => {
    const { error } = await refuse(write('system,account_id,email,resource,owner_email\naws,ana,ana@example.com,,it@example.com\naws,ci,,,it@example.com\n'));
    expect(error.problems).toEqual([{ line: 2, column: 'resource', message: 'required when owner_email is set' }]);
  });

  it('refuses a time without a zone and a date that does not exist', async () => {
    const { error } = await refuse(write('system,account_id,last_login\ncrm,1,2026-09-30T10:00:00\ncrm,2,2026-02-30\ncrm,3,2026-09-30T10:00:00+02:00\n'));
    expect(where(error.problems)).toEqual([
      [2, 'last_login'],
      [3, 'last_login'],
    ]);
  });

  it('names the record and field of a bad JSON file', async () => {
    const path = write(
      JSON.stringify([
        { system: 'aws', account_id: 'ana', status: 'active' },
        { system: 'aws', account_id: 7, privileged: 'sometimes', resource: 'x' },
        'not an object',
        { system: 'aws', account_id: 'cat', colour: 'blue', name: { first: 'Cat' } },
      ]),
      'json',
    );
    const { error } = await refuse(path);
    expect(where(error.problems)).toEqual([
      [2, 'privileged'],
      [3, ''],
      [4, 'colour'],
      [4, 'name'],
    ]);
    expect(error.message).toContain('record 2, field privileged: expected true or false, got "sometimes"');
  });

  it('refuses JSON that does not parse or is not an array', async () => {
    expect((await refuse(write('[\n{"system": "aws",\n}\n]', 'json'))).error.problems[0]).toMatchObject({ line: 3, column: '' });
    expect((await refuse(write('{"accounts": []}', 'json'))).error.problems[0]?.message).toBe('expected an array of row objects');
  });

  it('refuses a path that is neither .csv nor .json, and a missing file', async () => {
    expect(() => createFileConnector({ path: join(dir, 'people.xlsx') })).toThrow(PermanentError);
    const missing = createFileConnector({ path: join(dir, 'missing.csv') });
    await expect(missing.read()[Symbol.asyncIterator]().next()).rejects.toThrow(/ENOENT/);
  });
});
