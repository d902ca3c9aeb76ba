import type { Config } from '../../config.js';
import { configuredSources, type SourceName } from '../../connectors/index.js';
import type { Connector } from '../../connectors/types.js';
import type { Db } from '../../db/client.js';
import { adminsCheck, slackLinksCheck, undeliverableCheck } from './check-people.js';
import { complianceChannelCheck } from './check-compliance-channel.js';
import { databaseCheck, type DatabaseProbe } from './check-database.js';
import { evidenceRoleCheck } from './check-evidence-role.js';
import { slackChecks } from './check-slack.js';
import { noSourceCheck, sourceCheck } from './check-sources.js';
import { readJournal, type JournalEntry } from './read-journal.js';
import { runChecks } from './run-checks.js';
import type { SlackProbe } from './slack-probe.js';
import { notChecked, ok, type Check, type DoctorReport } from './types.js';

export interface DoctorPorts {
  config: Config;
  database: DatabaseProbe;
  /** The database's query handle; used only once the database check has passed. */
  db: () => Db;
  /** Absent when SLACK_BOT_TOKEN is not set. */
  slack: SlackProbe | undefined;
  /** Absent: sources are not read (App Home, where a page read per open would cost too much). */
  openSource?: ((name: SourceName) => Promise<Connector>) | undefined;
  journal?: () => Promise<JournalEntry[]>;
  /** Skip the signing-secret / app-token check (a serving process has already proven it). */
  skipTransport?: boolean;
}

/**
 * Every preflight check in the order an operator fixes things: configuration, database, Slack,
 * sources, then what the data says (links, admins, undelivered messages).
 */
export function doctorChecks(ports: DoctorPorts): Check[] {
  const { config } = ports;
  const slack = slackChecks(config, ports.slack);
  let databaseReady = false;
  const database = databaseCheck(ports.database, ports.journal ?? (() => readJournal()));
  const gated = (check: Check): Check => ({
    ...check,
    run: (signal) => (databaseReady ? check.run(signal) : Promise.resolve(notChecked('the database is not ready', 'fix the database check first'))),
  });
  const sources = configuredSources(config);
  const openSource = ports.openSource;
  return [
    { name: 'config', run: async () => ok('the environment parses (every variable is well formed)') },
    {
      ...database,
      run: async (signal) => {
        const outcome = await database.run(signal);
        databaseReady = outcome.status !== 'fail';
        return outcome;
      },
    },
    gated(evidenceRoleCheck(ports.db, config.DATABASE_URL ? 'postgres' : 'pglite')),
    ...slack.checks.filter((c) => !(ports.skipTransport && c.name === 'slack_transport')),
    complianceChannelCheck(config.COMPLIANCE_CHANNEL, ports.slack, slack.auth),
    ...(openSource ? (sources.length === 0 ? [noSourceCheck()] : sources.map((s) => sourceCheck(s, () => openSource(s)))) : []),
    gated(slackLinksCheck(ports.db)),
    gated(adminsCheck(ports.db, config.ATTEST_ADMINS)),
    gated(undeliverableCheck(ports.db)),
  ];
}

export function runDoctor(ports: DoctorPorts): Promise<DoctorReport> {
  return runChecks(doctorChecks(ports));
}

/** An environment that does not parse stops everything else: the one line names the variable. */
export function invalidConfigReport(message: string): DoctorReport {
  return {
    ok: false,
    checks: [{ name: 'config', status: 'fail', detail: message, fix: 'correct that variable in the environment or .env, then run attest doctor again' }],
  };
}
