import { Option, type Command } from 'commander';
import { withRuntime } from '../runtime.js';
import { printJson, printLines, printTable } from '../output.js';
import { cliActor } from '../actor.js';
import { cliChatDirectory } from '../chat-directory.js';
import { createCampaign } from '../../domain/reviews/create-campaign.js';
import { launchCampaign, type LaunchResult } from '../../domain/reviews/launch-campaign.js';
import { findCampaigns } from '../../domain/reviews/find-campaigns.js';
import { getCampaignStatus, type CampaignStatus } from '../../domain/reviews/get-campaign-status.js';
import { closeCampaign, type CloseResult } from '../../domain/reviews/close-campaign.js';
import { AppError } from '../../errors.js';
import { QUARTERLY, createCampaignTemplate, disableCampaignTemplate } from '../../domain/reviews/create-campaign-template.js';
import { findCampaignTemplates } from '../../domain/reviews/find-campaign-templates.js';

interface CreateFlags {
  name: string;
  due: string;
  scopeSystems?: string;
  scopeResources?: string;
  privilegedOnly?: boolean;
  departments?: string;
  reviewer: 'manager' | 'owner';
  nonResponse: 'flag' | 'revoke';
  secondLevel?: 'owner';
  reminders?: string;
  owner?: string;
  attestation?: string;
  json?: boolean;
}

const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

export function register(program: Command): void {
  const campaign = program.command('campaign').description('create, launch, follow and close access review campaigns');

  campaign
    .command('create')
    .description('create a draft campaign (nothing is sent until it is launched)')
    .requiredOption('--name <name>', 'what reviewers see, e.g. "Q4 2026 access review"')
    .requiredOption('--due <date>', `due date: 2026-12-31 (end of that day in TZ) or an ISO date-time`)
    .option('--scope-systems <systems>', 'only these systems, comma-separated (e.g. okta,github)')
    .option('--scope-resources <ids>', 'only these resources, comma-separated resource ids')
    .option('--privileged-only', 'only privileged access (admin roles, privileged groups)')
    .option('--departments <departments>', 'only people in these departments, comma-separated (orphaned accounts are still included)')
    .addOption(new Option('--reviewer <rule>', 'who reviews: the person\'s manager, or the resource owner').choices(['manager', 'owner']).default('manager'))
    .addOption(new Option('--non-response <rule>', 'undecided items at close: flag them, or revoke them').choices(['flag', 'revoke']).default('flag'))
    .addOption(new Option('--second-level <rule>', 'approved privileged access goes to the resource owner for a second decision').choices(['owner']))
    .option('--reminders <days>', 'reminder days before the due date, comma-separated', '7,2,1')
    .option('--owner <email>', 'campaign owner and fallback reviewer (default: the first admin)')
    .option('--attestation <text>', 'the statement each reviewer signs off (default: "I reviewed each of these <n> items, and the decisions reflect current business need.")')
    .option('--json', 'print the campaign as one JSON document')
    .action(async (flags: CreateFlags) => {
      const reminders = list(flags.reminders)?.map(Number);
      if (reminders?.some((d) => !Number.isInteger(d) || d < 0)) throw new AppError('INVALID_INPUT', `--reminders must be whole days such as 7,2,1, not "${flags.reminders}"`);
      const created = await withRuntime((rt) =>
        createCampaign(rt.deps, {
          name: flags.name,
          dueAt: flags.due,
          scope: { systems: list(flags.scopeSystems), resourceIds: list(flags.scopeResources), departments: list(flags.departments), privilegedOnly: Boolean(flags.privilegedOnly) },
          reviewerRule: flags.reviewer,
          nonResponse: flags.nonResponse,
          ...(flags.secondLevel ? { secondLevel: flags.secondLevel } : {}),
          ...(reminders ? { reminderOffsetsDays: reminders } : {}),
          ...(flags.owner ? { ownerEmail: flags.owner } : {}),
          ...(flags.attestation !== undefined ? { attestation: flags.attestation } : {}),
          actor: cliActor(),
        }),
      );
      if (flags.json) printJson(created);
      else {
        printLines(
          `Created draft campaign "${created.name}" (${created.id}), due ${created.dueAt.toISOString()}.`,
          ...(created.secondLevel === 'owner' ? ['Approved privileged access goes to the resource owner for a second review.'] : []),
          `Check it with: attest campaign launch ${created.id} --dry-run`,
        );
      }
    });

  campaign
    .command('launch <id>')
    .description('freeze who has access to what into review items and queue one DM per reviewer (serve delivers them)')
    .option('--dry-run', 'show reviewers, items, systems and every fallback without launching (reviewers found in Slack are still linked)')
    .option('--json', 'print one JSON document: the campaign with its id, counts, fallbacks and slack: {linked, notLinked: [{email, reason}]}')
    .addHelpText(
      'after',
      '\nWith SLACK_BOT_TOKEN set, reviewers who have no Slack user yet are first looked up by email (users.lookupByEmail, only those few)\n' +
        'and linked, so their items are not sent to the campaign owner instead.',
    )
    .action(async (id: string, flags: { dryRun?: boolean; json?: boolean }) => {
      const res = await withRuntime((rt) =>
        launchCampaign(rt.deps, { campaignId: id, actor: cliActor(), dryRun: Boolean(flags.dryRun), chat: cliChatDirectory(rt.config, rt.deps.logger) }),
      );
      if (flags.json) printJson({ ...res.campaign, dryRun: res.dryRun, ...res.summary });
      else printLines(...describeLaunch(res));
    });

  campaign
    .command('list')
    .description('every campaign, newest first, with its progress')
    .option('--json', 'print one JSON document')
    .action(async (flags: { json?: boolean }) => {
      const rows = await withRuntime((rt) => findCampaigns(rt.deps.db));
      if (flags.json) printJson(rows);
      else if (rows.length === 0) printLines('No campaigns yet. Create one with: attest campaign create --name "Q4 review" --due 2026-12-31');
      else printTable(rows.map((r) => ({ ...r, dueAt: r.dueAt.toISOString().slice(0, 10), progress: `${r.items - r.pending}/${r.items}` })), ['id', 'name', 'status', 'dueAt', 'progress']);
    });

  campaign
    .command('status <id>')
    .description('progress of one campaign: decisions, reviewers and fallback routings')
    .option('--json', 'print {id, name, status, items, pending, approved, revoked, reviewers, fallbacks, …}')
    .action(async (id: string, flags: { json?: boolean }) => {
      const s = await withRuntime((rt) => getCampaignStatus(rt.deps.db, id));
      if (flags.json) printJson(s);
      else printLines(...describeStatus(s));
    });

  campaign
    .command('close <id>')
    .description('end a launched campaign; undecided items follow its non-response rule (flag or revoke)')
    .option('--json', 'print one JSON document')
    .action(async (id: string, flags: { json?: boolean }) => {
      const res = await withRuntime((rt) => closeCampaign(rt.deps, { campaignId: id, actor: cliActor() }));
      if (flags.json) printJson({ ...res.campaign, ...counts(res) });
      else printLines(describeClose(res));
    });

  registerSchedule(campaign);
}

interface ScheduleFlags extends Omit<CreateFlags, 'due' | 'reminders'> {
  cron?: string;
  durationDays: string;
}

/** `campaign schedule add|list|disable`: recurring campaigns that `serve` launches on their slots. */
function registerSchedule(campaign: Command): void {
  const schedule = campaign.command('schedule').description('recurring campaigns, launched by serve at each slot of their cron (in TZ)');

  schedule
    .command('add')
    .description('schedule a recurring campaign; the first launch is the first slot from now on')
    .requiredOption('--name <name>', 'campaign name; each launch appends its date, e.g. "Quarterly access review 2027-01-01"')
    .option('--cron <expression>', `five-field cron in TZ (default quarterly: "${QUARTERLY}")`)
    .option('--duration-days <days>', 'each campaign is due this many days after it launches', '14')
    .option('--scope-systems <systems>', 'only these systems, comma-separated (e.g. okta,github)')
    .option('--scope-resources <ids>', 'only these resources, comma-separated resource ids')
    .option('--privileged-only', 'only privileged access (admin roles, privileged groups)')
    .option('--departments <departments>', 'only people in these departments, comma-separated')
    .addOption(new Option('--reviewer <rule>', "who reviews: the person's manager, or the resource owner").choices(['manager', 'owner']).default('manager'))
    .addOption(new Option('--non-response <rule>', 'undecided items at close: flag them, or revoke them').choices(['flag', 'revoke']).default('flag'))
    .addOption(new Option('--second-level <rule>', 'approved privileged access goes to the resource owner for a second decision').choices(['owner']))
    .option('--attestation <text>', 'the statement each reviewer signs off (default: "I reviewed each of these <n> items, and the decisions reflect current business need.")')
    .option('--owner <email>', 'owner and fallback reviewer of each campaign (default: the first admin)')
    .option('--json', 'print the schedule as one JSON document')
    .action(async (flags: ScheduleFlags) => {
      const durationDays = Number(flags.durationDays);
      if (!Number.isInteger(durationDays)) throw new AppError('INVALID_INPUT', `--duration-days must be a whole number of days, not "${flags.durationDays}"`);
      const { t, tz } = await withRuntime(async (rt) => ({
        tz: rt.config.TZ,
        t: await createCampaignTemplate(rt.deps, {
          name: flags.name,
          ...(flags.cron ? { cron: flags.cron } : {}),
          durationDays,
          scope: { systems: list(flags.scopeSystems), resourceIds: list(flags.scopeResources), departments: list(flags.departments), privilegedOnly: Boolean(flags.privilegedOnly) },
          reviewerRule: flags.reviewer,
          nonResponse: flags.nonResponse,
          ...(flags.secondLevel ? { secondLevel: flags.secondLevel } : {}),
          ...(flags.attestation !== undefined ? { attestation: flags.attestation } : {}),
          ...(flags.owner ? { ownerEmail: flags.owner } : {}),
          actor: cliActor(),
        }),
      }));
      if (flags.json) printJson(t);
      else printLines(`Scheduled "${t.name}" (${t.id}): ${t.cron} in ${tz}, due ${t.durationDays} days after each launch.`);
    });

  schedule
    .command('list')
    .description('every schedule with its cron and the last period it launched')
    .option('--json', 'print one JSON document')
    .action(async (flags: { json?: boolean }) => {
      const rows = await withRuntime((rt) => findCampaignTemplates(rt.deps.db));
      if (flags.json) printJson(rows);
      else if (rows.length === 0) printLines('No schedules yet. Add one with: attest campaign schedule add --name "Quarterly access review"');
      else printTable(rows.map((r) => ({ ...r, enabled: r.enabled ? 'yes' : 'no', lastPeriod: r.lastPeriod ?? '' })), ['id', 'name', 'cron', 'enabled', 'durationDays', 'ownerEmail', 'lastPeriod']);
    });

  schedule
    .command('disable <id>')
    .description('stop launching campaigns from a schedule (launched campaigns carry on)')
    .option('--json', 'print the schedule as one JSON document')
    .action(async (id: string, flags: { json?: boolean }) => {
      const t = await withRuntime((rt) => disableCampaignTemplate(rt.deps, { id, actor: cliActor() }));
      if (flags.json) printJson(t);
      else printLines(`Disabled schedule "${t.name}" (${t.id}).`);
    });
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function describeLaunch(r: LaunchResult): string[] {
  const s = r.summary;
  const head = r.dryRun
    ? `Dry run of "${r.campaign.name}" (${r.campaign.id}): would create ${count(s.items, 'item')} for ${count(s.reviewers, 'reviewer')}`
    : `Launched "${r.campaign.name}" (${r.campaign.id}): ${count(s.items, 'item')} for ${count(s.reviewers, 'reviewer')}; DMs queued`;
  const excluded = Object.entries(s.excluded).map(([k, n]) => `${n} ${k}`);
  return [
    `${head}.`,
    `  systems: ${s.systems.join(', ') || 'none'}`,
    ...(excluded.length ? [`  left out: ${excluded.join(', ')}`] : []),
    ...Object.entries(s.provenance).map(([src, p]) => `  ${src}: synced ${p.syncedAt ?? 'never'} (run ${p.syncRunId ?? '-'}), ${p.inScope} of ${p.liveGrants} live grants in scope`),
    `  fallbacks: ${s.fallbacks.length}`,
    ...s.fallbacks.map((f) => `    ${f.person} · ${f.resource} → ${f.reviewer}: ${f.reason}`),
    ...(s.slack
      ? [
          `  slack: ${s.slack.linked} of ${count(s.reviewers, 'reviewer')} linked to a Slack user; ${s.slack.notLinked.length} chosen without one`,
          ...s.slack.notLinked.map((n) => `    ${n.email}: ${n.reason}`),
        ]
      : []),
  ];
}

function describeStatus(s: CampaignStatus): string[] {
  return [
    `"${s.name}" (${s.id}) is ${s.status}, due ${s.dueAt.toISOString()}; owner ${s.owner.email}`,
    `  ${s.items} items: ${s.pending} pending, ${s.approved} approved, ${s.revoked} revoked${keptText(s.kept)}; ${count(s.reviewers, 'reviewer')}`,
    ...(s.secondLevel ? [`  second review (resource owner): ${s.secondLevel.items} items, ${s.secondLevel.pending} pending, ${s.secondLevel.approved} approved, ${s.secondLevel.revoked} revoked${keptText(s.secondLevel.kept)}`] : []),
    ...s.byReviewer.map((r) => `    ${r.email.padEnd(32)} ${r.decided} decided, ${r.pending} pending`),
    `  fallbacks: ${s.fallbacks.length}`,
    ...s.fallbacks.map((f) => `    ${f.person} · ${f.resource}${f.level === 2 ? ' (second review)' : ''} → ${f.reviewer}: ${f.reason}`),
  ];
}

const counts = ({ campaign: _c, ...rest }: CloseResult) => rest;

function describeClose(r: CloseResult): string {
  const tail = r.campaign.nonResponse === 'revoke' ? `${r.autoRevoked} undecided items revoked (no response by due date)` : `${r.undecided} items left undecided and flagged`;
  return `Closed "${r.campaign.name}" (${r.campaign.id}): ${r.approved} approved, ${r.revoked} revoked${keptText(r.kept)} of ${r.items}; ${tail}.`;
}

/** Kept exceptions are said only when there are some: the lines without them read as before. */
function keptText(kept: number | undefined): string {
  return kept ? `, ${kept} kept as ${kept === 1 ? 'an exception' : 'exceptions'}` : '';
}
