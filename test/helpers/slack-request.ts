import { createHmac, randomBytes } from 'node:crypto';

/**
 * Requests to POST /slack/events signed exactly as Slack signs them:
 * `X-Slack-Signature: v0=hex(HMAC-SHA256(secret, "v0:{ts}:{raw body}"))`. Bodies are sent as
 * strings with the content type exactly `application/x-www-form-urlencoded` (Bolt parses a form
 * only then; a URLSearchParams body through fetch adds `;charset=UTF-8` and gets a 400).
 */
export const TEAM_ID = 'T0FAKE';
export const APP_ID = 'A0FAKEAPP';
export const BOT_USER_ID = 'U0FAKEBOT';

export interface SlackRequestBody {
  body: string;
  contentType: 'application/x-www-form-urlencoded' | 'application/json';
}

export interface SendOptions {
  /** Unix seconds; default now. Older than 5 minutes is refused (401). */
  timestamp?: number;
  /** Sends this signature instead of the right one (forgery tests). */
  signature?: string;
  /** Signs with this secret instead of the server's. */
  secret?: string;
  retryNum?: number;
  retryReason?: string;
}

export interface SlackResponse {
  status: number;
  text: string;
  headers: Headers;
  json<T = Record<string, unknown>>(): T | undefined;
}

export function signSlackRequest(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SlashCommandFields {
  user_id: string;
  text?: string;
  command?: string;
  response_url: string;
  channel_id?: string;
  trigger_id?: string;
  user_name?: string;
}

export function slashCommandBody(f: SlashCommandFields): SlackRequestBody {
  const fields = {
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    team_domain: 'fake',
    channel_id: f.channel_id ?? 'C0GENERAL',
    channel_name: 'general',
    user_id: f.user_id,
    user_name: f.user_name ?? f.user_id.toLowerCase(),
    command: f.command ?? '/attest',
    text: f.text ?? '',
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: f.response_url,
    trigger_id: f.trigger_id ?? `${Date.now()}.${randomBytes(4).toString('hex')}`,
  };
  return { body: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' };
}

/** Interactivity payloads (block_actions, view_submission, shortcuts) arrive as `payload=<json>`. */
export function interactionBody(payload: Record<string, unknown>): SlackRequestBody {
  return { body: `payload=${encodeURIComponent(JSON.stringify(payload))}`, contentType: 'application/x-www-form-urlencoded' };
}

export interface BlockActionInput {
  userId: string;
  actionId: string;
  value?: string;
  blockId?: string;
  responseUrl?: string;
  /** The view the button sat in (Home tab, modal); absent for a message button. */
  view?: Record<string, unknown>;
  channelId?: string;
  messageTs?: string;
}

export function blockActionsPayload(a: BlockActionInput): Record<string, unknown> {
  const inMessage = !a.view;
  return {
    type: 'block_actions',
    user: { id: a.userId, username: a.userId.toLowerCase(), name: a.userId.toLowerCase(), team_id: TEAM_ID },
    api_app_id: APP_ID,
    token: 'legacy-verification-token',
    team: { id: TEAM_ID, domain: 'fake' },
    trigger_id: `${Date.now()}.${randomBytes(4).toString('hex')}`,
    container: inMessage
      ? { type: 'message', message_ts: a.messageTs ?? '1.000001', channel_id: a.channelId ?? 'D0USER', is_ephemeral: false }
      : { type: 'view', view_id: a.view?.id ?? 'V0VIEW' },
    ...(inMessage ? { channel: { id: a.channelId ?? 'D0USER', name: 'directmessage' } } : { view: a.view }),
    ...(inMessage ? { message: { ts: a.messageTs ?? '1.000001', type: 'message', text: '' } } : {}),
    ...(a.responseUrl ? { response_url: a.responseUrl } : {}),
    actions: [
      {
        type: 'button',
        action_id: a.actionId,
        block_id: a.blockId ?? 'b',
        text: { type: 'plain_text', text: 'button' },
        ...(a.value !== undefined ? { value: a.value } : {}),
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
}

export interface ViewSubmissionInput {
  userId: string;
  callbackId: string;
  /** block_id → action_id → value object, as Slack nests input values. */
  values?: Record<string, Record<string, Record<string, unknown>>>;
  privateMetadata?: string;
}

export function viewSubmissionPayload(v: ViewSubmissionInput): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: TEAM_ID, domain: 'fake' },
    user: { id: v.userId, username: v.userId.toLowerCase(), name: v.userId.toLowerCase(), team_id: TEAM_ID },
    api_app_id: APP_ID,
    token: 'legacy-verification-token',
    trigger_id: `${Date.now()}.${randomBytes(4).toString('hex')}`,
    view: {
      id: 'V0MODAL',
      team_id: TEAM_ID,
      type: 'modal',
      callback_id: v.callbackId,
      private_metadata: v.privateMetadata ?? '',
      hash: '1.abc',
      blocks: [],
      state: { values: v.values ?? {} },
      app_id: APP_ID,
      bot_id: 'B0FAKEBOT',
    },
    response_urls: [],
  };
}

export function eventBody(event: Record<string, unknown>, envelope: Record<string, unknown> = {}): SlackRequestBody {
  const body = {
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    api_app_id: APP_ID,
    event,
    type: 'event_callback',
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: TEAM_ID, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    ...envelope,
  };
  return { body: JSON.stringify(body), contentType: 'application/json' };
}

export function appHomeOpened(userId: string, tab: 'home' | 'messages' = 'home'): Record<string, unknown> {
  return { type: 'app_home_opened', user: userId, channel: `D${userId.slice(1)}`, tab, event_ts: String(Date.now() / 1000) };
}

export function urlVerificationBody(challenge: string): SlackRequestBody {
  return { body: JSON.stringify({ token: 'legacy-verification-token', challenge, type: 'url_verification' }), contentType: 'application/json' };
}

/** Posts signed requests to one server's /slack/events. */
export class SlackRequester {
  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
  ) {}

  async send(req: SlackRequestBody, opts: SendOptions = {}): Promise<SlackResponse> {
    const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': req.contentType,
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': opts.signature ?? signSlackRequest(opts.secret ?? this.secret, ts, req.body),
    };
    if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
    if (opts.retryReason !== undefined) headers['x-slack-retry-reason'] = opts.retryReason;
    const res = await fetch(`${this.baseUrl}/slack/events`, { method: 'POST', headers, body: req.body });
    const text = await res.text();
    return {
      status: res.status,
      text,
      headers: res.headers,
      json: <T>() => (text ? (JSON.parse(text) as T) : undefined),
    };
  }

  command(fields: SlashCommandFields, opts?: SendOptions) {
    return this.send(slashCommandBody(fields), opts);
  }

  action(input: BlockActionInput, opts?: SendOptions) {
    return this.send(interactionBody(blockActionsPayload(input)), opts);
  }

  viewSubmission(input: ViewSubmissionInput, opts?: SendOptions) {
    return this.send(interactionBody(viewSubmissionPayload(input)), opts);
  }

  event(event: Record<string, unknown>, opts?: SendOptions) {
    return this.send(eventBody(event), opts);
  }

  urlVerification(challenge: string, opts?: SendOptions) {
    return this.send(urlVerificationBody(challenge), opts);
  }
}
