import { createHmac } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { zipEntries } from '../../src/domain/evidence/export/read-zip.js';
import type { RecordedCall, StoredMessage } from '../fakes/slack-server.js';

/** What journeys observe from outside: signed webhooks, Slack messages as the fake holds them, export files. */

/** POST /hooks/hr signed as README says: `X-Attest-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export async function postHrEvent(baseUrl: string, secret: string, event: unknown): Promise<{ status: number; body: unknown }> {
  const raw = JSON.stringify(event);
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex');
  const res = await fetch(`${baseUrl}/hooks/hr`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-attest-signature': `t=${t},v1=${v1}` },
    body: raw,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // left as text
  }
  return { status: res.status, body };
}

/** Every file of a zip, as text. */
export async function readZip(path: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const entry of zipEntries(path)) {
    const chunks: Buffer[] = [];
    for await (const chunk of await entry.open()) chunks.push(chunk as Buffer);
    out.set(entry.name, Buffer.concat(chunks).toString('utf8'));
  }
  return out;
}

export function csvRows(text: string): Record<string, string>[] {
  return parse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

interface TextObject {
  text?: string;
}
interface BlockLike {
  type: string;
  text?: TextObject;
  accessory?: ButtonLike;
  elements?: ButtonLike[];
}
interface ButtonLike {
  type: string;
  action_id?: string;
  value?: string;
  text?: TextObject;
}

/** Every button in some blocks, with its text, action id and value. */
export function buttonsOf(blocks: unknown): { text: string; actionId: string; value: string | undefined }[] {
  const out: { text: string; actionId: string; value: string | undefined }[] = [];
  for (const b of (blocks ?? []) as BlockLike[]) {
    for (const e of [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])]) {
      if (e.type === 'button' && e.action_id) out.push({ text: e.text?.text ?? '', actionId: e.action_id, value: e.value });
    }
  }
  return out;
}

export interface ReviewEntry {
  /** The person header above the item: `*Name* · email · department…` */
  person: string;
  /** The item's own lines: `*Resource* · system · via…` */
  item: string;
  approve: string | undefined;
  revoke: string | undefined;
}

/**
 * The pending items of a review DM: each actions block with Approve/Revoke, with the section
 * that describes it and the person header it sits under.
 */
export function reviewEntries(blocks: unknown, approveId: string, revokeId: string): ReviewEntry[] {
  const out: ReviewEntry[] = [];
  let person = '';
  let item = '';
  for (const b of (blocks ?? []) as BlockLike[]) {
    if (b.type === 'section') {
      const text = b.text?.text ?? '';
      if (/^\*[^*]+\* · [^\s@]+@/.test(text)) person = text;
      else item = text;
    }
    if (b.type === 'actions') {
      const approve = b.elements?.find((e) => e.action_id === approveId)?.value;
      const revoke = b.elements?.find((e) => e.action_id === revokeId)?.value;
      if (approve || revoke) out.push({ person, item, approve, revoke });
    }
  }
  return out;
}

/** All the text a message shows (fallback text and every block), for `toContain` checks. */
export function messageText(m: Pick<StoredMessage, 'text' | 'blocks'> | undefined): string {
  if (!m) return '';
  return `${m.text ?? ''}\n${JSON.stringify(m.blocks ?? [])}`;
}

/** A one-line summary of Slack calls, for failure messages. */
export function describeCalls(calls: RecordedCall[]): string {
  return calls
    .map((c) => {
      const b = c.body as { channel?: string; text?: string };
      const ok = (c.response as { ok?: boolean; error?: string } | undefined)?.ok;
      const err = (c.response as { error?: string } | undefined)?.error;
      return `${c.method}${b.channel ? ` → ${b.channel}` : ''}${ok === false ? ` (error ${err})` : ''}${b.text ? `: ${String(b.text).slice(0, 100)}` : ''}`;
    })
    .join('\n');
}
