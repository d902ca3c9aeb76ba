import type { App, BlockSuggestion } from '@slack/bolt';
import type { Deps } from '../../../deps.js';
import { findRequestableResources } from '../../../domain/lifecycle/find-requestable-resources.js';
import { ACTION } from '../../ids.js';
import { buildResourceOptions } from '../../views/request-modal.js';

/**
 * The request modal's resource picker: Slack asks as the person types (min_query_length 0, so
 * also on open). Options must come back in the ack, within 3 seconds; a failure answers with
 * no options rather than nothing, so the picker shows "no results" instead of an error.
 */
export function registerRequestResourceOptions(app: App, deps: Deps): void {
  app.options<'block_suggestion'>({ action_id: ACTION.requestResource }, async ({ ack, payload }) => {
    const query = (payload as BlockSuggestion).value ?? '';
    try {
      await ack(buildResourceOptions(await findRequestableResources(deps.db, query.slice(0, 100))));
    } catch (err) {
      deps.logger.error({ err }, 'could not list resources for the request picker');
      await ack({ options: [] });
    }
  });
}
