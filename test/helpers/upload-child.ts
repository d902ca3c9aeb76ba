/**
 * Uploads one file through `uploadFile` in a process of its own, so what it measures is the
 * upload's memory and nothing of the test runner's (nor the fake Slack's copy of the bytes).
 *
 *   node --import tsx test/helpers/upload-child.ts <slack api url> <file> <channel>
 *
 * Prints one JSON line: {fileId, baseline, peak} where baseline and peak are heapUsed +
 * arrayBuffers (bytes) before the upload and the highest live amount seen while it ran.
 */
import { LogLevel, WebClient } from '@slack/web-api';
import { uploadFile } from '../../src/slack/upload-file.js';

const [apiUrl, path, channelId] = process.argv.slice(2) as [string, string, string];
const quiet = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };
const client = new WebClient('xoxb-upload-child', { slackApiUrl: apiUrl, retryConfig: { retries: 0 }, logger: quiet });

const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
// Run with --expose-gc. Each sample collects garbage first, so it measures what the upload holds
// (a Buffer of the whole file would show), not the 64 KB chunks already sent and not yet freed.
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
gc();
const baseline = used();
let peak = baseline;
const sampler = setInterval(() => {
  gc();
  peak = Math.max(peak, used());
}, 25);
const { fileId } = await uploadFile(client, { path, title: 'Big bundle', to: { channelId }, initialComment: 'big' });
clearInterval(sampler);
gc();
peak = Math.max(peak, used());
process.stdout.write(JSON.stringify({ fileId, baseline, peak }) + '\n');
