import type { Db } from '../../db/client.js';
import { listRoleHolderIds } from '../people/list-roles.js';

/** Admins in the order they were made admins: the last-resort reviewers after the campaign owner. */
export function findAdminIds(db: Db): Promise<string[]> {
  return listRoleHolderIds(db, 'admin');
}
