import type { Command } from 'commander';
import { withRuntime } from '../runtime.js';
import { printJson, printLines, printTable } from '../output.js';
import { grantRole, revokeRole } from '../../domain/people/grant-role.js';
import { listRoleHolders } from '../../domain/people/list-roles.js';
import { ROLES, type Role } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { cliActor } from '../actor.js';

function parseRole(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) {
    throw new AppError('INVALID_INPUT', `Unknown role "${value}": expected one of ${ROLES.join(', ')}`);
  }
  return value as Role;
}

export function register(program: Command): void {
  const roles = program.command('roles').description(`grant, revoke and list roles (${ROLES.join(', ')})`);

  roles
    .command('grant <role> <email>')
    .description('give a person a role (an evidence event)')
    .option('--json', 'print one JSON document')
    .action(async (role: string, email: string, opts: { json?: boolean }) => {
      const r = parseRole(role);
      const res = await withRuntime((rt) => grantRole(rt.deps, { email, role: r, actor: cliActor() }));
      if (opts.json) printJson({ ok: true, email, role: r, personId: res.personId });
      else printLines(`Granted ${r} to ${email}.`);
    });

  roles
    .command('revoke <role> <email>')
    .description('take a role away (an evidence event)')
    .option('--json', 'print one JSON document')
    .action(async (role: string, email: string, opts: { json?: boolean }) => {
      const r = parseRole(role);
      await withRuntime((rt) => revokeRole(rt.deps, { email, role: r, actor: cliActor() }));
      if (opts.json) printJson({ ok: true, email, role: r });
      else printLines(`Revoked ${r} from ${email}.`);
    });

  roles
    .command('list')
    .description('everyone who holds a role')
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean }) => {
      const holders = await withRuntime((rt) => listRoleHolders(rt.deps.db));
      if (opts.json) printJson(holders);
      else if (holders.length === 0) printLines('Nobody holds a role yet. Set ATTEST_ADMINS or run: attest roles grant admin <email>');
      else printTable(holders.map((h) => ({ ...h, roles: h.roles.join(',') })), ['email', 'name', 'roles']);
    });
}
