/**
 * Reads and writes ask for separate tokens. With domain-wide delegation the token request
 * fails outright if any requested scope is not authorised in the Admin console, so an
 * operator who grants only the read-only scopes still gets a working sync.
 */
export const READ_SCOPES = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.member.readonly',
] as const;

export const WRITE_SCOPES = [
  'https://www.googleapis.com/auth/admin.directory.user',
  'https://www.googleapis.com/auth/admin.directory.group.member',
] as const;
