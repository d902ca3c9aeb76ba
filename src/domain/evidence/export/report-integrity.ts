import type { ReportInput } from './render-report.js';
import { BUNDLE_FILES, EVIDENCE } from './bundle-files.js';
import { esc, num, table } from './html.js';

export function renderFiles(input: ReportInput): string {
  const sizes = new Map(input.files.map((f) => [f.name, f.bytes]));
  const rows = BUNDLE_FILES.map((f) => [
    `<code class="file">${esc(f.name)}</code>`,
    esc(f.shows),
    f.supports.map(esc).join('<br>') || '<span class="muted">—</span>',
    num(input.summary.rows.get(f.name) ?? (f.name === EVIDENCE ? input.segment.events : null)),
    num(sizes.get(f.name)),
  ]);
  return `<h2>Files and the SOC 2 points of focus they support</h2>
${table(['File', 'What it shows', 'Points of focus', 'Rows', 'Bytes'], rows, { numeric: [3, 4] })}
<p class="note">This bundle is evidence for logical access: CC6.2 and CC6.3. It is <strong>not</strong> evidence for CC6.4 (physical access to facilities and protected information assets), which is outside what Attest records.</p>`;
}

export function renderIntegrity(input: ReportInput): string {
  const s = input.segment;
  const actions = input.actions.map((a) => [`<code>${esc(a.action)}</code>`, num(a.count)]);
  return `<h2>Integrity</h2>
<p>evidence.jsonl holds ${num(s.events)} events${s.events > 0 ? `, sequence ${num(s.firstSeq)} to ${num(s.lastSeq)}` : ''}. Each event's hash covers the one before it, so the segment can be checked without the database:</p>
<table><tbody>
<tr><th>Hash of the event before the first</th><td class="hash">${esc(s.prevHash)}</td></tr>
<tr><th>Chain head (last event)</th><td class="hash">${esc(s.head)}</td></tr>
</tbody></table>
<p>To verify this bundle, run:</p>
<pre>attest verify --bundle &lt;this-file&gt;.zip</pre>
<p>It checks every file's SHA-256 and size against manifest.json, re-computes every hash of the evidence segment from the stated previous hash, and checks that the last one equals the chain head in manifest.json. Exporting was itself recorded in the evidence log (<code>evidence.exported</code>, with this zip's SHA-256), so the bundle can also be matched against the live log; <code>attest verify</code> re-checks the whole live chain.</p>
<h3>Events in the period by action</h3>
${table(['Action', 'Events'], actions, { numeric: [1], empty: 'No events.' })}`;
}
