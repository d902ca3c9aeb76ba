import { readFileSync } from 'node:fs';

const MANIFEST = new URL('../../../slack-manifest.yaml', import.meta.url);

/**
 * The bot scopes slack-manifest.yaml asks for: what a token installed from it holds. Read with a
 * few lines instead of a YAML parser: the list is `oauth_config.scopes.bot`, one `- scope` a line.
 */
export function manifestBotScopes(text = readFileSync(MANIFEST, 'utf8')): string[] {
  const lines = text.split('\n');
  const path = ['oauth_config:', 'scopes:', 'bot:'];
  let depth = 0;
  let indent = -1;
  const scopes: string[] = [];
  for (const line of lines) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const lead = line.length - line.trimStart().length;
    if (depth === path.length) {
      if (lead <= indent) break;
      const m = /^\s*-\s*([\w:.]+)\s*(#.*)?$/.exec(line);
      if (m) scopes.push(m[1]!);
      continue;
    }
    if (line.trim() === path[depth] && lead > indent) {
      depth += 1;
      indent = lead;
    }
  }
  return scopes;
}

/** Answers given before the token was accepted carry no scopes. */
export function unauthenticated(result: { error?: string }): boolean {
  return ['unknown_method', 'not_authed', 'invalid_auth', 'not_allowed_token_type'].includes(result.error ?? '');
}
