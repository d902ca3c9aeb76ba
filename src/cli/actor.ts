import { userInfo } from 'node:os';

/** Who ran a CLI command, for the evidence log: the OS user, since the CLI has no login. */
export function cliActor(): string {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // no passwd entry (some containers): keep "unknown"
  }
  return `cli:${name}`;
}
