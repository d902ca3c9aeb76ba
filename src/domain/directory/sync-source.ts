import type { Connector } from '../../connectors/types.js';
import type { Deps } from '../../deps.js';
import { syncRun } from '../../db/schema/index.js';
import { runSync, type SyncOptions, type SyncReport } from './run-sync.js';

/**
 * One source of several: whatever goes wrong with it (its connector cannot even be built
 * because a key file is gone, or the run itself throws) becomes a `failed` report, so the
 * sources after it and the Slack linking after them still run. A connector that cannot be
 * built is recorded as a failed sync run, so the operator sees it where every run is listed.
 */
export async function syncSource(
  deps: Pick<Deps, 'db' | 'clock' | 'logger' | 'config'>,
  source: string,
  connect: () => Promise<Connector>,
  opts: SyncOptions = {},
): Promise<SyncReport> {
  const started = performance.now();
  const failed = (error: string, runId: string | null): SyncReport => ({
    source,
    status: 'failed',
    runId,
    people: 0,
    accounts: 0,
    resources: 0,
    grants: 0,
    added: 0,
    removed: 0,
    changed: 0,
    requests: 0,
    verified: 0,
    durationMs: Math.round(performance.now() - started),
    error,
  });

  let connector: Connector;
  try {
    connector = await connect();
  } catch (err) {
    const error = `could not start the ${source} connector: ${message(err)}`;
    deps.logger.error({ source, err: message(err) }, 'sync could not start; other sources carry on');
    if (opts.dryRun) return failed(error, null);
    const now = deps.clock.now();
    const [run] = await deps.db
      .insert(syncRun)
      .values({ source, status: 'failed', startedAt: now, finishedAt: now, error, triggeredBy: opts.triggeredBy ?? 'system' })
      .returning({ id: syncRun.id });
    return failed(error, run!.id);
  }
  try {
    return await runSync(deps, connector, opts);
  } catch (err) {
    // runSync has already marked its own run failed; the report says why.
    deps.logger.error({ source, err: message(err) }, 'sync failed; other sources carry on');
    return failed(message(err), null);
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
