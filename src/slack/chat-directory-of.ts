import type { WebClient } from '@slack/web-api';
import type { ChatDirectory } from '../domain/people/chat-directory.js';
import { slackUserDirectory } from './user-directory.js';

const directories = new WeakMap<WebClient, ChatDirectory>();

/**
 * The workspace's directory behind a listener's client. Bolt hands every request of a
 * workspace the same client, so one directory per client keeps one users.lookupByEmail pacing
 * window for all clicks (a fresh directory per click would pace each click on its own).
 */
export function chatDirectoryOf(client: WebClient): ChatDirectory {
  let directory = directories.get(client);
  if (!directory) {
    directory = slackUserDirectory(client);
    directories.set(client, directory);
  }
  return directory;
}
