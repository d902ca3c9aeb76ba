import type { Deps } from '../deps.js';
import { configuredSources, createConnector } from '../connectors/index.js';
import type { SyncReport } from '../domain/directory/run-sync.js';
import { syncSource } from '../domain/directory/sync-source.js';
import { linkChatUsers, type ChatDirectory } from '../domain/people/link-chat-users.js';

/** The scheduled sync: every configured source, each on its own, then people mapped to Slack users. */
export async function syncDirectoryJob(
  deps: Pick<Deps, 'db' | 'clock' | 'logger' | 'config'>,
  chat?: Pick<ChatDirectory, 'listUsers'>,
): Promise<SyncReport[]> {
  const reports: SyncReport[] = [];
  for (const name of configuredSources(deps.config)) {
    reports.push(await syncSource(deps, name, () => createConnector(name, deps.config, deps.logger), { triggeredBy: 'job:sync' }));
  }
  if (chat) {
    const linked = await linkChatUsers(deps, chat, 'job:sync');
    deps.logger.info(linked, 'people mapped to Slack users');
  }
  return reports;
}

/**
 * `serve`'s start: people synced from the CLI (or seeded from ATTEST_ADMINS) get their Slack
 * user now rather than at the first scheduled sync, up to an hour later. Never throws: a Slack
 * outage at start must not stop the server, and the scheduled sync tries again.
 */
export async function linkChatUsersAtStart(deps: Pick<Deps, 'db' | 'clock' | 'logger'>, chat: Pick<ChatDirectory, 'listUsers'>): Promise<void> {
  try {
    const linked = await linkChatUsers(deps, chat, 'job:serve-start');
    deps.logger.info(linked, 'people mapped to Slack users at start');
  } catch (err) {
    deps.logger.warn({ err }, 'could not map people to Slack users at start; the scheduled sync will retry');
  }
}
