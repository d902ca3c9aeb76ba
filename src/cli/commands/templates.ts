import type { Command } from 'commander';
import { withRuntime } from '../runtime.js';
import { printJson, printLines, printTable } from '../output.js';
import { cliActor } from '../actor.js';
import { addTemplate } from '../../domain/lifecycle/add-template.js';
import { listTemplates } from '../../domain/lifecycle/list-templates.js';
import { removeTemplate } from '../../domain/lifecycle/remove-template.js';

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

export function register(program: Command): void {
  const templates = program.command('templates').description('birthright access templates used by onboarding');

  templates
    .command('add')
    .description('add a template: hires matching its department and/or title get its resources')
    .requiredOption('--name <name>', 'template name (unique)')
    .option('--department <department>', 'match this department (any when omitted)')
    .option('--title <title>', 'match this job title (any when omitted)')
    .requiredOption('--resources <list>', 'comma-separated resource ids or system:name (e.g. okta:Engineering)', list)
    .option('--json', 'print the template as one JSON document')
    .action(async (flags: { name: string; department?: string; title?: string; resources: string[]; json?: boolean }) => {
      const row = await withRuntime((rt) =>
        addTemplate(rt.deps, { name: flags.name, department: flags.department ?? null, title: flags.title ?? null, resources: flags.resources, actor: cliActor() }),
      );
      if (flags.json) printJson(row);
      else printLines(`Added template ${row.name} (${row.id}) with ${row.resourceIds.length} resources.`);
    });

  templates
    .command('list')
    .description('every template with its resources')
    .option('--json', 'print one JSON document')
    .action(async (flags: { json?: boolean }) => {
      const rows = await withRuntime((rt) => listTemplates(rt.deps.db));
      if (flags.json) printJson(rows);
      else if (rows.length === 0) printLines('No templates yet. Add one with: attest templates add --name … --department … --resources okta:Engineering');
      else
        printTable(
          rows.map((t) => ({ ...t, department: t.department ?? '(any)', title: t.title ?? '(any)', resources: t.resources.map((r) => `${r.system}:${r.name}${r.removed ? ' (gone)' : ''}`).join(', ') })),
          ['name', 'department', 'title', 'resources'],
        );
    });

  templates
    .command('remove <name>')
    .description('remove a template (cases already opened keep their requests)')
    .option('--json', 'print one JSON document')
    .action(async (name: string, flags: { json?: boolean }) => {
      await withRuntime((rt) => removeTemplate(rt.deps, { name, actor: cliActor() }));
      if (flags.json) printJson({ ok: true, name });
      else printLines(`Removed template ${name}.`);
    });
}
