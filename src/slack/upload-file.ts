import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { WebClient } from '@slack/web-api';

export interface UploadInput {
  /** A file on disk; read whole (bundles are small, and Slack wants the length up front). */
  path: string;
  title: string;
  /** The channel, or the user whose DM (with the bot) it goes to. */
  to: { channelId: string } | { userId: string };
  initialComment: string;
}

/**
 * Shares a file the way `files.uploadV2` does: files.getUploadURLExternal, the bytes to the
 * returned URL, then files.completeUploadExternal to share it. completeUploadExternal wants a
 * channel id, not a user id, so a DM is opened first (conversations.open is idempotent).
 */
export async function uploadFile(client: WebClient, input: UploadInput): Promise<{ fileId: string; channelId: string }> {
  const channelId = 'channelId' in input.to ? input.to.channelId : await openDm(client, input.to.userId);
  const data = await readFile(input.path);
  const res = await client.filesUploadV2({
    channel_id: channelId,
    file: data,
    filename: basename(input.path),
    title: input.title,
    initial_comment: input.initialComment,
  });
  const fileId = firstFileId(res.files);
  return { fileId, channelId };
}

async function openDm(client: WebClient, userId: string): Promise<string> {
  const dm = await client.conversations.open({ users: userId });
  const id = dm.channel?.id;
  if (!id) throw new Error(`conversations.open gave no channel for ${userId}`);
  return id;
}

/** filesUploadV2 answers one completion per channel, each with its files. */
function firstFileId(completions: unknown): string {
  const list = completions as { files?: { id?: string }[] }[];
  const id = list[0]?.files?.[0]?.id;
  if (!id) throw new Error('files.completeUploadExternal returned no file');
  return id;
}
