import { createReadStream } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** No byte sent or received for this long: the connection is dead (a whole upload may take minutes). */
const IDLE_TIMEOUT_MS = 60_000;
/** As the WebClient's interactive policy: a couple of quick retries, then the caller is told. */
const RETRY_DELAYS_MS = [500, 2000];

/**
 * POSTs a file to an upload URL (Slack's `files.getUploadURLExternal` answer) as raw bytes,
 * streamed from disk: memory stays at a few stream buffers whatever the file's size. The
 * length is sent up front, so Slack can refuse a short body. Slack answers 200 when the upload
 * worked and anything else when it did not; a network error, a 429 or a 5xx is retried with
 * the file reopened from its start (the URL stays valid until completeUploadExternal).
 */
export async function streamFileTo(url: string, path: string, size: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await postOnce(url, path, size);
    } catch (err) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined || !(err instanceof UploadError && err.transient)) throw err;
      await sleep(delay);
    }
  }
}

class UploadError extends Error {
  override name = 'UploadError';
  constructor(
    message: string,
    readonly transient: boolean,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

async function postOnce(url: string, path: string, size: number): Promise<void> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const req = send(target, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
  });
  req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(new Error(`no progress for ${IDLE_TIMEOUT_MS / 1000} s`)));
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  // Node pauses the file stream whenever the socket's buffer is full: memory stays bounded.
  const sent = pipeline(createReadStream(path), req);
  let res: IncomingMessage;
  try {
    [res] = await Promise.all([answered, sent]);
  } catch (err) {
    // Answered early (e.g. 413) or a broken connection; a refusal with a status is read below.
    const early = await Promise.race([answered, Promise.resolve(undefined)]).catch(() => undefined);
    if (!early) throw new UploadError(`upload failed: ${(err as Error).message}`, true, { cause: err });
    res = early;
  }
  const body = await readSmall(res);
  if (res.statusCode === 200) return;
  const status = res.statusCode ?? 0;
  throw new UploadError(`upload answered HTTP ${status}${body ? `: ${body}` : ''}`, status === 429 || status >= 500);
}

/** The answer is a short text ("OK - <bytes>"); only its first KB is kept, for an error message. */
async function readSmall(res: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of res) if (text.length < 1024) text += (chunk as Buffer).toString('utf8');
  return text.slice(0, 1024).trim();
}
