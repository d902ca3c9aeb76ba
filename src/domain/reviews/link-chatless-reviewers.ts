import type { Db } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import type { ChatDirectory } from '../people/chat-directory.js';
import { linkPeopleByEmailLookup, type ChatLookupOutcome } from '../people/link-people-by-email-lookup.js';
import { planLaunch } from './plan-launch.js';

/**
 * Before a campaign is routed: the reviewers the plan would pass over only for having no Slack
 * user (and reviewers holding items without one) are looked up by email and linked, so that a
 * launch right after `attest sync` does not send their items to the campaign owner. Only those
 * few are looked up, one users.lookupByEmail call each. The caller plans again afterwards.
 */
export async function linkChatlessReviewers(
  deps: Pick<Deps, 'db' | 'clock'>,
  chat: Pick<ChatDirectory, 'userByEmail'>,
  campaignId: string,
  actor: string,
): Promise<Map<string, ChatLookupOutcome>> {
  return linkPeopleByEmailLookup(deps, chat, await findChatlessReviewers(deps.db, campaignId), actor);
}

/** The people (ids) a launch of this campaign would pass over only for having no Slack user. */
export async function findChatlessReviewers(db: Db, campaignId: string): Promise<string[]> {
  return (await planLaunch(db, campaignId)).withoutChat;
}
