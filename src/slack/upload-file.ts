import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { WebClient } from '@slack/web-api';
import { streamFileTo } from './stream-file-to.js';

export interface UploadInput {
  /** A file on disk; streamed, never read whole (a year's bundle can be hundreds of MB). */
  path: string;
  title: string;
  /** The channel, or the user whose DM (with the bot) it goes to. */
  to: { channelId: string } | { userId: string };
  initialComment: string;
}

/**
 * Shares a file in Slack's three steps: files.getUploadURLExternal with the file's length, the
 * bytes to the returned URL, then files.completeUploadExternal to share it. The bytes go from
 * disk to the socket as a stream with the Content-Length given up front (Slack accepts raw
 * bytes or a multipart form; raw needs no framing), where `filesUploadV2` would take a Buffer
 * of the whole file. completeUploadExternal wants a channel id, not a user id, so a DM is
 * opened first (conversations.open is idempotent).
 */
export async function uploadFile(client: WebClient, input: UploadInput): Promise<{ fileId: string; channelId: string }> {
  const channelId = 'channelId' in input.to ? input.to.channelId : await openDm(client, input.to.userId);
  const { size } = await stat(input.path);
  const filename = basename(input.path);
  const target = await client.files.getUploadURLExternal({ filename, length: size });
  if (!target.upload_url || !target.file_id) throw new Error('files.getUploadURLExternal returned no upload URL');
  await streamFileTo(target.upload_url, input.path, size);
  const done = await client.files.completeUploadExternal({
    files: [{ id: target.file_id, title: input.title }],
    channel_id: channelId,
    initial_comment: input.initialComment,
  });
  const fileId = done.files?.[0]?.id;
  if (!fileId) throw new Error('files.completeUploadExternal returned no file');
  return { fileId, channelId };
}

async function openDm(client: WebClient, userId: string): Promise<string> {
  const dm = await client.conversations.open({ users: userId });
  const id = dm.channel?.id;
  if (!id) throw new Error(`conversations.open gave no channel for ${userId}`);
  return id;
}
