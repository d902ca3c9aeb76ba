/** The fields Attest reads from Okta's JSON (specs/okta: User, AppUser), for lists read raw. */
export interface UserJson {
  id: string;
  status: string;
  created?: string | null;
  statusChanged?: string | null;
  lastLogin?: string | null;
  transitioningToStatus?: string | null;
  profile?: Record<string, unknown>;
}

export interface AppUserJson {
  id: string;
  scope?: 'USER' | 'GROUP';
}
