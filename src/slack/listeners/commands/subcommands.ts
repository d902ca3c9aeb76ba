import type { SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Role } from '../../../db/schema/index.js';
import type { Deps } from '../../../deps.js';
import { getWaitingWork } from '../../../domain/home/get-waiting-work.js';
import { hasRole } from '../../../domain/people/person-roles.js';
import { readerZone } from '../../../domain/reviews/reader-zone.js';
import { findSyncedSystems } from '../../../domain/reviews/find-synced-systems.js';
import type { Caller } from '../../caller.js';
import type { SlackMessage } from '../../views/blocks.js';
import { buildCampaignCreateModal, defaultDueDate } from '../../views/campaign-create-modal.js';
import { buildHelpMessage } from '../../views/help.js';
import { localDate } from '../../views/access-form-inputs.js';
import { buildNotice } from '../../views/notice.js';
import { buildOffboardModal } from '../../views/offboard-modal.js';
import { buildOnboardModal } from '../../views/onboard-modal.js';
import { buildRequestModal } from '../../views/request-modal.js';
import { buildStatusMessage } from '../../views/status.js';
import { runExport } from './export-run.js';

/** `anyone`: even a Slack user the directory does not know; `person`: anyone in the directory. */
export type Audience = 'anyone' | 'person' | Role;

export interface SubcommandContext {
  deps: Deps;
  caller: Caller;
  /** The text after the subcommand name, trimmed. */
  args: string;
  command: SlashCommand;
  client: WebClient;
}

export interface Subcommand {
  name: string;
  usage: string;
  summary: string;
  audience: Audience;
  /** Absent while the feature is still to come: listed in help, answered "not available yet". */
  run?: (ctx: SubcommandContext) => Promise<SlackMessage>;
}

/**
 * The `/attest` routing table, in the order help lists it. A feature plugs in by adding (or
 * filling in `run` of) its row; the router checks the audience before `run` is called, and the
 * use case behind `run` still checks authority itself (it is reachable from the CLI too).
 */
export const SUBCOMMANDS: Subcommand[] = [
  {
    name: 'help',
    usage: 'help',
    summary: 'what you can do here',
    audience: 'anyone',
    run: async ({ caller }) => helpFor(caller),
  },
  {
    name: 'request',
    usage: 'request',
    summary: 'ask for access to an app or group',
    audience: 'anyone',
    // Opened for anyone so the form is where they learn; the submission needs a directory person.
    run: async ({ client, command }) => {
      await client.views.open({ trigger_id: command.trigger_id, view: buildRequestModal() });
      return buildNotice('Pick what you need in the form; your approvers get a DM and you hear back at each step.', ':memo:');
    },
  },
  {
    name: 'status',
    usage: 'status',
    summary: 'reviews, tasks and approvals waiting for you',
    audience: 'person',
    run: async ({ deps, caller }) => buildStatusMessage(await getWaitingWork(deps, caller.person!.id), deps.clock.now()),
  },
  {
    name: 'campaign',
    usage: 'campaign',
    summary: 'create, launch and follow access reviews',
    audience: 'compliance',
    // The form opens on the command's trigger id, which expires 3 seconds after the command.
    run: async ({ deps, client, command }) => {
      const systems = await findSyncedSystems(deps.db);
      const initialDue = defaultDueDate(deps.clock.now(), deps.config.TZ);
      await client.views.open({ trigger_id: command.trigger_id, view: buildCampaignCreateModal({ systems, initialDue }) });
      return buildNotice('Fill in the form to set up the review; nothing is sent until you launch it. Progress shows on your App Home.', ':memo:');
    },
  },
  {
    name: 'export',
    usage: 'export [2026-Q4 | campaign <id> | <from> <to>]',
    summary: "export the quarter's evidence bundle",
    audience: 'compliance',
    run: runExport,
  },
  {
    name: 'onboard',
    usage: 'onboard',
    summary: 'start onboarding for a new joiner',
    audience: 'hr',
    run: async ({ deps, caller, client, command }) => {
      const tz = readerZone(caller.person?.slackTz, deps.config.TZ);
      await client.views.open({ trigger_id: command.trigger_id, view: buildOnboardModal({ tz, initialStart: localDate(deps.clock.now(), tz) }) });
      return buildNotice('Fill in the form to start onboarding; the case message follows in your DMs.', ':memo:');
    },
  },
  {
    name: 'offboard',
    usage: 'offboard',
    summary: 'start offboarding for a leaver',
    audience: 'hr',
    // The router already refused anyone without the hr role (a security event); the use case checks again.
    run: async ({ deps, caller, client, command }) => {
      await client.views.open({ trigger_id: command.trigger_id, view: buildOffboardModal({ tz: readerZone(caller.person?.slackTz, deps.config.TZ) }) });
      return buildNotice('Fill in the form to start offboarding; the case message follows in your DMs.', ':memo:');
    },
  },
];

export function findSubcommand(name: string): Subcommand | undefined {
  return SUBCOMMANDS.find((s) => s.name === name);
}

export function isAllowed(sub: Subcommand, caller: Caller): boolean {
  if (sub.audience === 'anyone') return true;
  if (!caller.person) return false;
  return sub.audience === 'person' || hasRole(caller.roles, sub.audience);
}

/** Help lists only what this caller may run, so an employee never sees HR's commands. */
export function helpFor(caller: Caller, notice?: string): SlackMessage {
  const commands = SUBCOMMANDS.filter((s) => isAllowed(s, caller));
  return buildHelpMessage({ commands, ...(notice ? { notice } : {}) });
}
