import type { SlackMessage } from './blocks.js';
import { buildNotice } from './notice.js';
import { escapeText, plural } from './text.js';

export interface ExportedBundle {
  fileName: string;
  sha256: string;
  files: string[];
  period: { label: string; from: string; to: string; campaigns: number };
  /** Signed bundles: the signing key's fingerprint, which the auditor checks the signature against. */
  keyId?: string;
}

/** What the requester sees while the bundle is built (it can take a while on a big quarter). */
export function buildExportStarted(what: string): SlackMessage {
  return buildNotice(`Building the evidence bundle for ${what}. It will arrive in your DM with Attest as a zip.`, ':hourglass_flowing_sand:');
}

/** The upload's `initial_comment`: enough to identify the bundle and check it without Attest's UI. */
export function buildExportComment(b: ExportedBundle): string {
  return [
    `Evidence bundle for ${escapeText(b.period.label)}: ${b.period.from} to ${b.period.to} (UTC, end exclusive), ${plural(b.period.campaigns, 'campaign')}.`,
    `Files: ${b.files.map(escapeText).join(', ')}`,
    `SHA-256: \`${b.sha256}\``,
    b.keyId
      ? `Signed by key \`${b.keyId}\`. To verify: \`attest verify --bundle ${escapeText(b.fileName)} --fingerprint ${b.keyId}\`.`
      : `Unsigned (no ATTEST_SIGNING_KEY). To verify: \`attest verify --bundle ${escapeText(b.fileName)}\` (or \`sha256sum ${escapeText(b.fileName)}\` and compare).`,
  ].join('\n');
}
