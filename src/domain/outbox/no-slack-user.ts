/** Why a message waits: the `last_error` of an `undeliverable` row, shown to operators. */
export function noSlackUser(email: string): string {
  return `${email} has no Slack user`;
}
