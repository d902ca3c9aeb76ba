import type { IncomingMessage } from 'node:http';

export type Body = Record<string, unknown>;

/** Arguments the WebClient JSON-encodes inside a form body; decoded so tests see objects. */
const JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata', 'files', 'user_auth_blocks'];

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The WebClient posts `application/x-www-form-urlencoded` (objects JSON-encoded per field),
 * `multipart/form-data` when an argument is binary (file uploads), and other clients post JSON.
 */
export async function parseBody(raw: Buffer, contentType: string): Promise<Body> {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  let body: Body = {};
  if (raw.length === 0) return body;
  if (type === 'application/json') {
    body = JSON.parse(raw.toString('utf8')) as Body;
  } else if (type === 'multipart/form-data') {
    const form = await new Request('http://fake.invalid/', {
      method: 'POST',
      body: raw,
      headers: { 'content-type': contentType },
    }).formData();
    for (const [k, v] of form.entries()) {
      body[k] = typeof v === 'string' ? v : Buffer.from(await v.arrayBuffer());
    }
  } else {
    body = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  }
  for (const field of JSON_FIELDS) {
    const v = body[field];
    if (typeof v !== 'string') continue;
    try {
      body[field] = JSON.parse(v);
    } catch {
      // Left as a string: the method answers invalid_*_format as Slack does.
    }
  }
  return body;
}

export function bearerToken(header: string | undefined, body: Body): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (m) return m[1];
  return typeof body.token === 'string' ? body.token : undefined;
}

export function truthy(v: unknown): boolean {
  return v === true || v === 'true' || v === '1' || v === 1;
}
