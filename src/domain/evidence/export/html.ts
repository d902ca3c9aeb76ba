/** Small, dependency-free HTML helpers for report.html. Every piece of data goes through esc(). */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Times as people read them, always in UTC and saying so. */
export function when(d: Date | string | null | undefined): string {
  if (!d) return '';
  const date = typeof d === 'string' ? new Date(d) : d;
  return Number.isNaN(date.getTime()) ? '' : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function num(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "1 case", "2 cases". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${num(n)} ${n === 1 ? one : many}`;
}

export function pct(part: number, whole: number): number {
  return whole === 0 ? 100 : Math.round((part / whole) * 1000) / 10;
}

/** A table whose cells are HTML already escaped by the caller; `num` columns align right. */
export function table(headers: string[], rows: string[][], opts: { numeric?: number[]; empty?: string } = {}): string {
  if (rows.length === 0) return `<p class="muted">${esc(opts.empty ?? 'None.')}</p>`;
  const cls = (i: number) => (opts.numeric?.includes(i) ? ' class="n"' : '');
  const head = headers.map((h, i) => `<th${cls(i)}>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export function bar(percent: number): string {
  const p = Math.max(0, Math.min(100, percent));
  return `<span class="bar" role="img" aria-label="${p}%"><span style="width:${p}%"></span></span> ${num(p, 1)}%`;
}

export function badge(text: string, kind: 'ok' | 'bad' | 'warn' | 'muted'): string {
  return `<span class="badge ${kind}">${esc(text)}</span>`;
}

export function stat(label: string, value: string, note = ''): string {
  return `<div class="stat"><div class="v">${value}</div><div class="l">${esc(label)}</div>${note ? `<div class="s">${esc(note)}</div>` : ''}</div>`;
}

/** Inline and small: the page must open offline, from inside a zip, with no external assets. */
export const STYLE = `
:root{--fg:#1d2330;--muted:#667085;--line:#e4e7ec;--bg:#f8f9fb;--accent:#2f5bd3;--ok:#137a3b;--bad:#b42318;--warn:#a15c07}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK JP",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1120px;margin:0 auto;padding:32px 28px 64px;background:#fff;min-height:100vh}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:17px;margin:36px 0 10px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:14px;margin:18px 0 6px}
p{margin:6px 0}
.muted{color:var(--muted)}
.meta{color:var(--muted);margin-bottom:18px}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(125px,1fr));gap:10px;margin:12px 0}
.stat{border:1px solid var(--line);border-radius:8px;padding:10px 12px;background:#fcfcfd}
.stat .v{font-size:22px;font-weight:600}
.stat .l{color:var(--muted);font-size:12px}
.stat .s{color:var(--muted);font-size:11px}
table{border-collapse:collapse;width:100%;margin:8px 0 4px;font-size:13px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#f2f4f7;font-weight:600;font-size:12px;color:#344054}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tbody tr:nth-child(even){background:#fafbfc}
code,.hash{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.hash,code.ev{word-break:break-all}
code.file{white-space:nowrap}
.bar{display:inline-block;width:90px;height:8px;background:var(--line);border-radius:4px;vertical-align:middle;overflow:hidden}
.bar span{display:block;height:100%;background:var(--accent)}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
.badge.ok{background:#e7f6ec;color:var(--ok)}.badge.bad{background:#fdecea;color:var(--bad)}
.badge.warn{background:#fef4e6;color:var(--warn)}.badge.muted{background:#f2f4f7;color:var(--muted)}
.note{border-left:4px solid var(--accent);background:#f5f8ff;padding:10px 14px;margin:12px 0;border-radius:0 6px 6px 0}
ol.timeline{list-style:none;padding:0;margin:8px 0}
ol.timeline li{padding:4px 0 4px 150px;position:relative;border-bottom:1px dashed var(--line)}
ol.timeline time{position:absolute;left:0;color:var(--muted);font-variant-numeric:tabular-nums}
pre{background:#f2f4f7;padding:10px 12px;border-radius:6px;overflow-x:auto}
@media print{body{background:#fff}main{padding:0}h2{break-after:avoid}table{break-inside:auto}}
`;
