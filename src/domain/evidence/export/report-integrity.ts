import type { Checkpoint } from '../signing/checkpoint.js';
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
  const bundle = input.fileName ?? '<this-file>.zip';
  return `<h2>Integrity</h2>
<p>evidence.jsonl holds ${num(s.events)} events${s.events > 0 ? `, sequence ${num(s.firstSeq)} to ${num(s.lastSeq)}` : ''}. Each event's hash covers the one before it, so the segment can be checked without the database:</p>
<table><tbody>
<tr><th>Hash of the event before the first</th><td class="hash">${esc(s.prevHash)}</td></tr>
<tr><th>Chain head (last event)</th><td class="hash">${esc(s.head)}</td></tr>
</tbody></table>
${input.signing ? renderSigned(input.signing, bundle) : renderUnsigned(bundle)}
<p>Exporting was itself recorded in the evidence log (<code>evidence.exported</code>, with this zip's SHA-256), so the bundle can also be matched against the live log; <code>attest verify</code> re-checks the whole live chain.</p>
<h3>Events in the period by action</h3>
${table(['Action', 'Events'], actions, { numeric: [1], empty: 'No events.' })}`;
}

/** Who made the bundle, and the command that proves it with the key the reader already holds. */
function renderSigned(signing: { keyId: string; checkpoint: Checkpoint | null }, bundle: string): string {
  const c = signing.checkpoint;
  const checkpoint = c
    ? `<tr><th>Checkpoint in this bundle</th><td>event ${num(c.seq)}, hash <span class="hash">${esc(c.hash)}</span>, signed ${esc(c.at)} by the same key</td></tr>`
    : '<tr><th>Checkpoint in this bundle</th><td>none: no checkpoint by this key falls inside the period (they are written hourly and at every export)</td></tr>';
  return `<p>manifest.json is signed (Ed25519) by the key below; its public key is public-key.pem in this bundle. The signature covers every file's SHA-256, the chain head and the checkpoint, so a bundle rewritten after it was signed does not verify.</p>
<table><tbody>
<tr><th>Signing key fingerprint (SHA-256 of the public key)</th><td class="hash">${esc(signing.keyId)}</td></tr>
${checkpoint}
</tbody></table>
<p>To verify this bundle with the fingerprint you were given beforehand (or <code>--public-key KEY.pem</code> with your copy of the public key), run:</p>
<pre>attest verify --bundle ${esc(bundle)} --fingerprint ${esc(signing.keyId)}</pre>
<p>It checks the signature of manifest.json and the checkpoint's signature and hash first, then every file's SHA-256 and size against manifest.json, re-computes every hash of the evidence segment from the stated previous hash, and checks that the last one equals the chain head in manifest.json. Without <code>--fingerprint</code> or <code>--public-key</code> it checks integrity only, which a bundle rewritten as a whole would also pass.</p>`;
}

function renderUnsigned(bundle: string): string {
  return `<p>This bundle is not signed (no signing key was configured when it was exported): it can be checked for integrity, not for who made it. To verify it, run:</p>
<pre>attest verify --bundle ${esc(bundle)}</pre>
<p>It checks every file's SHA-256 and size against manifest.json, re-computes every hash of the evidence segment from the stated previous hash, and checks that the last one equals the chain head in manifest.json.</p>`;
}
