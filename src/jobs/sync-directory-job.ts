import type { Deps } from '../deps.js';
import { configuredSources, createConnector } from '../connectors/index.js';
import { runSync, type SyncReport } from '../domain/directory/run-sync.js';
import { linkChatUsers, type ChatDirectory } from '../domain/people/link-chat-users.js';

/** The scheduled sync: every configured source, then people mapped to Slack users. */
export async function syncDirectoryJob(
  deps: Pick<Deps, 'db' | 'clock' | 'logger' | 'config'>,
  chat?: ChatDirectory,
): Promise<SyncReport[]> {
  const reports: SyncReport[] = [];
  for (const name of configuredSources(deps.config)) {
    const connector = await createConnector(name, deps.config, deps.logger);
    reports.push(await runSync(deps, connector, { triggeredBy: 'job:sync' }));
  }
  if (chat) {
    const linked = await linkChatUsers(deps, chat);
    deps.logger.info(linked, 'people mapped to Slack users');
  }
  return reports;
}
