import cliProgress from 'cli-progress';
import type { ReadProgress } from '../domain/directory/read-source.js';

/**
 * A live line while a source is read (only on a terminal: piped output and --json stay clean).
 * The total is unknown until the last page, so it shows counts rather than a percentage.
 */
export function syncProgress(source: string): { update: (p: ReadProgress & { requests: number }) => void; stop: () => void } | undefined {
  if (!process.stderr.isTTY) return undefined;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${source.padEnd(6)} {accounts} accounts, {resources} resources, {grants} grants, {requests} requests | {duration_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1, 0, { accounts: 0, resources: 0, grants: 0, requests: 0 });
  return {
    update: (p) => bar.update(0, p),
    stop: () => bar.stop(),
  };
}
