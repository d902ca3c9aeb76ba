/**
 * Runs each benchmark in its own process (so peak memory is its own) and prints one JSON
 * document per benchmark. `npm run bench` runs all; `npm run bench -- sync` runs one.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const dir = new URL('.', import.meta.url).pathname;
// `npm run bench -- campaign --items 500000`: names first, then options passed to each benchmark.
const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith('--'));
const wanted = firstOption === -1 ? args : args.slice(0, firstOption);
const options = firstOption === -1 ? [] : args.slice(firstOption);
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''));
const names = wanted.length > 0 ? wanted : all;

let failed = false;
for (const name of names) {
  if (!all.includes(name)) {
    process.stderr.write(`unknown benchmark ${name}; have: ${all.join(', ')}\n`);
    failed = true;
    continue;
  }
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', `${dir}${name}.ts`, ...options], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: process.env,
  });
  if (res.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
