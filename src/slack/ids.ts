/**
 * Every action_id, block_id and callback_id the app sends or listens for, in one place: a view
 * and its listener must agree on the string, and Slack caps each at 255 characters.
 */
export const COMMAND = '/attest';

export const ACTION = {
  homeRefresh: 'home.refresh',
} as const;

export const BLOCK = {
  homeHeader: 'home.header',
  homeReviews: 'home.reviews',
  homeTasks: 'home.tasks',
  homeApprovals: 'home.approvals',
  homeActions: 'home.actions',
  helpCommands: 'help.commands',
} as const;

export const CALLBACK = {
  home: 'home',
} as const;
