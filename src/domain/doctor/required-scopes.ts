/**
 * The bot scopes Attest asks for, in the one place code reads them. slack-manifest.yaml must ask
 * for exactly these (a unit test holds the two together): doctor names any the installed token
 * lacks, and the fix is always to reinstall the app from the manifest.
 */
export const REQUIRED_BOT_SCOPES = [
  'commands',
  'chat:write',
  'im:write',
  'im:history',
  'channels:history',
  'groups:history',
  'channels:read',
  'groups:read',
  'users:read',
  'users:read.email',
  'files:write',
] as const;
