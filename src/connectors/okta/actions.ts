import type { UserStatus } from '@okta/okta-sdk-nodejs';
import { classifyOktaError, statusOf } from './classify-error.js';
import type { OktaContext } from './context.js';

/**
 * Lifecycle deactivate. Okta refuses to deactivate a user twice (400), so a repeat after a crash
 * or a retry is recognised by the user's status and counts as done.
 */
export async function deactivateAccount(ctx: OktaContext, userId: string): Promise<void> {
  try {
    await ctx.client.userApi.deactivateUser({ userId });
  } catch (err) {
    if (await alreadyIn(ctx, userId, 'DEPROVISIONED', err)) return;
    throw classifyOktaError(err, `deactivating user ${userId}`);
  }
}

/** Suspend (only ACTIVE users can be); an already suspended user counts as done. */
export async function suspendAccount(ctx: OktaContext, userId: string): Promise<void> {
  try {
    await ctx.client.userApi.suspendUser({ userId });
  } catch (err) {
    if (await alreadyIn(ctx, userId, 'SUSPENDED', err)) return;
    throw classifyOktaError(err, `suspending user ${userId}`);
  }
}

/** Okta answers a repeat with 204, so adding twice is harmless. */
export async function addGroupMembership(ctx: OktaContext, userId: string, groupId: string): Promise<void> {
  try {
    await ctx.client.groupApi.assignUserToGroup({ groupId, userId });
  } catch (err) {
    throw classifyOktaError(err, `adding user ${userId} to group ${groupId}`);
  }
}

async function alreadyIn(ctx: OktaContext, userId: string, status: UserStatus, err: unknown): Promise<boolean> {
  if (statusOf(err) !== 400) return false;
  const user = await ctx.client.userApi.getUser({ userId }).catch(() => undefined);
  return user?.status === status;
}
