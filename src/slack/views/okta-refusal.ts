import type { OktaRefusal } from '../../domain/evidence/get-okta-refusal.js';
import { context, fallback, section, type SlackMessage } from './blocks.js';
import { escapeText, slackDate } from './text.js';

/** What compliance should do, by why the event was refused. */
const NEXT_STEP: Record<string, string> = {
  not_confirmed: 'Okta does not confirm it, so the hook secret may have leaked: rotate it in Okta and in `OKTA_EVENT_HOOK_SECRET`.',
  unknown_to_okta: 'Okta does not know that user, so the hook secret may have leaked: rotate it in Okta and in `OKTA_EVENT_HOOK_SECRET`.',
  stale: 'An old event was replayed or delivered very late; check the user in Okta.',
  okta_unreachable: 'Okta could not be asked in time. Check the user in Okta; if they really left, start offboarding with `/attest offboard`.',
  cannot_confirm: 'Attest could not read the user from Okta (check the Okta connection). If they really left, start offboarding with `/attest offboard`.',
};

/** The compliance channel's notice that an Okta event hook was not acted on. */
export function buildOktaRefusalMessage(r: OktaRefusal): SlackMessage {
  const who = r.person ? `${escapeText(r.person.name || r.person.email)} (${escapeText(r.person.email)})` : escapeText(r.login ?? r.oktaUser ?? 'an unknown user');
  const headline = `Okta event refused: \`${escapeText(r.eventType)}\` for ${who}. No offboarding was started.`;
  const facts = [
    `*Why:* ${escapeText(r.reason)}`,
    NEXT_STEP[r.code] ?? '',
  ].filter(Boolean);
  const ids = [`Okta event ${escapeText(r.oktaEvent)}`, r.oktaUser ? `Okta user ${escapeText(r.oktaUser)}` : '', r.published ? `published ${escapeText(r.published)}` : '', `evidence #${r.seq}`, `received ${slackDate(r.at)}`]
    .filter(Boolean)
    .join(' · ');
  return {
    text: fallback(`Okta event refused: ${escapeText(r.eventType)} for ${who}. No offboarding was started.`),
    blocks: [section(`:rotating_light: ${headline}`), section(facts.join('\n')), context(ids)],
  };
}
