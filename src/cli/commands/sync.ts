import type { Command } from 'commander';
import { withRuntime } from '../runtime.js';
import { printJson, printLines } from '../output.js';
import { AppError } from '../../errors.js';
import { SOURCES, configuredSources, createConnector, type SourceName } from '../../connectors/index.js';
import type { SyncReport } from '../../domain/directory/run-sync.js';
import { syncSource } from '../../domain/directory/sync-source.js';
import { cliActor } from '../actor.js';
import { syncProgress } from '../progress.js';
import { cliChatDirectory } from '../chat-directory.js';
import { refreshChatLinks, type ChatLinkSummary } from '../../domain/people/refresh-chat-links.js';

interface SyncFlags {
  source?: string;
  dryRun?: boolean;
  confirmRemovals?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('sync')
    .description('read identity sources and apply what changed, with an evidence event per change')
    .option('--source <source>', `only this source: ${SOURCES.join(', ')}`)
    .option('--dry-run', 'print the difference without applying it')
    .option('--confirm-removals', 'apply a run that was held because it removes many accounts')
    .option(
      '--json',
      'print {source, status, people, accounts, resources, grants, added, removed, changed, requests, durationMs}; with SLACK_BOT_TOKEN set also ' +
        'slackLinked (people linked to a Slack user after the run), slackUnlinked (people not terminated still without one) and, when Slack ' +
        'could not be read, slackError',
    )
    .addHelpText(
      'after',
      '\nWith SLACK_BOT_TOKEN set (and SLACK_API_URL, default https://slack.com/api/), people are then linked to Slack users by email or\n' +
        'alias through users.list, so that reviews and tasks reach them. A Slack failure is reported; the sync itself still succeeds.',
    )
    .action(async (flags: SyncFlags) => {
      const { reports, chat } = await withRuntime(async (rt) => {
        const sources = pickSources(flags.source, configuredSources(rt.config));
        const out: SyncReport[] = [];
        for (const name of sources) {
          const bar = flags.json ? undefined : syncProgress(name);
          try {
            out.push(
              await syncSource(rt.deps, name, () => createConnector(name, rt.config, rt.deps.logger), {
                dryRun: Boolean(flags.dryRun),
                confirmRemovals: Boolean(flags.confirmRemovals),
                triggeredBy: cliActor(),
                ...(bar ? { onProgress: bar.update } : {}),
              }),
            );
          } finally {
            bar?.stop();
          }
        }
        // After every source, so that people the sources just added are linked too.
        const directory = cliChatDirectory(rt.config, rt.deps.logger);
        const links = directory ? await refreshChatLinks(rt.deps, directory, { actor: cliActor(), dryRun: Boolean(flags.dryRun) }) : undefined;
        return { reports: out, chat: links };
      });
      if (flags.json) {
        const withLinks = reports.map((r) => ({ ...r, ...(chat ? slackFields(chat) : {}) }));
        printJson(flags.source ? withLinks[0] : withLinks);
      } else {
        for (const r of reports) printLines(describe(r));
        if (chat) printLines(describeLinks(chat, Boolean(flags.dryRun)));
      }
      if (chat?.error && !flags.json) process.stderr.write(`attest: warning: could not link people to Slack users: ${chat.error}\n`);
      const failed = reports.find((r) => r.status === 'failed');
      if (failed) throw new AppError('UPSTREAM_UNAVAILABLE', `sync of ${failed.source} failed: ${failed.error}`);
    });
}

function pickSources(flag: string | undefined, configured: SourceName[]): SourceName[] {
  if (flag) {
    if (!(SOURCES as readonly string[]).includes(flag)) {
      throw new AppError('INVALID_INPUT', `Unknown source "${flag}": expected one of ${SOURCES.join(', ')}`);
    }
    return [flag as SourceName];
  }
  if (configured.length === 0) {
    throw new AppError(
      'CONFIG',
      'No identity source is configured: set OKTA_ORG_URL + OKTA_API_TOKEN, GOOGLE_CREDENTIALS + GOOGLE_ADMIN_SUBJECT, or DIRECTORY_FILE (see examples/)',
    );
  }
  return configured;
}

function slackFields(c: ChatLinkSummary) {
  return { slackLinked: c.linked, slackUnlinked: c.unlinked, ...(c.error ? { slackError: c.error } : {}) };
}

function describeLinks(c: ChatLinkSummary, dryRun: boolean): string {
  const made = c.error ? 'Slack could not be read' : dryRun ? 'none linked (dry run)' : `${c.newlyLinked} newly linked`;
  return `slack: ${c.linked} people linked to a Slack user (${made}), ${c.unlinked} without one`;
}

function describe(r: SyncReport): string {
  const head = `${r.source}: ${r.status} in ${(r.durationMs / 1000).toFixed(1)}s — ${r.people} people, ${r.accounts} accounts, ${r.resources} resources, ${r.grants} grants; ${r.added} added, ${r.removed} removed, ${r.changed} changed`;
  const lines = [head];
  if (r.verified) lines.push(`  ${r.verified} removals verified`);
  if (r.error) lines.push(`  ${r.status === 'held' ? 'held' : 'error'}: ${r.error}`);
  if (r.diff) {
    const d = r.diff;
    lines.push(
      `  accounts +${d.accountsAdded} ~${d.accountsChanged} -${d.accountsRemoved}; resources +${d.resourcesAdded} -${d.resourcesRemoved}; grants +${d.grantsAdded} -${d.grantsRemoved}`,
      ...d.sample.added.map((s) => `  + ${s}`),
      ...d.sample.changed.map((s) => `  ~ ${s}`),
      ...d.sample.removed.map((s) => `  - ${s}`),
    );
  }
  return lines.join('\n');
}
