import { readFileSync } from 'node:fs';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * Block Kit validation against the vendored schema (test/fakes/slack/block-kit.schema.json),
 * shared by the view unit tests and the fake Slack server, so both refuse what Slack refuses.
 */
const SCHEMA_URL = new URL('../fakes/slack/block-kit.schema.json', import.meta.url);
export const MESSAGE_BLOCK_LIMIT = 50;
export const VIEW_BLOCK_LIMIT = 100;

interface Validators {
  blocks: ValidateFunction;
  home: ValidateFunction;
  modal: ValidateFunction;
}

let validators: Validators | undefined;

function load(): Validators {
  if (validators) return validators;
  const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as { $id: string };
  // strict: false because the third-party schema uses keywords Ajv's strict mode rejects.
  const ajv = new Ajv2020.default({ strict: false, allErrors: false });
  addFormats.default(ajv);
  ajv.addSchema(schema);
  validators = {
    blocks: ajv.compile({ $ref: schema.$id }),
    home: ajv.compile({ $ref: `${schema.$id}#/$defs/home_view` }),
    modal: ajv.compile({ $ref: `${schema.$id}#/$defs/modal_view` }),
  };
  return validators;
}

function run(validate: ValidateFunction, value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

/** Errors for the blocks of a message (chat.postMessage / chat.update): schema plus the 50-block cap. */
export function messageBlockErrors(blocks: unknown): string[] {
  if (Array.isArray(blocks) && blocks.length > MESSAGE_BLOCK_LIMIT) {
    return [`/ must NOT have more than ${MESSAGE_BLOCK_LIMIT} items (a message holds ${MESSAGE_BLOCK_LIMIT} blocks)`];
  }
  return run(load().blocks, blocks);
}

export function homeViewErrors(view: unknown): string[] {
  return run(load().home, view);
}

export function modalViewErrors(view: unknown): string[] {
  return run(load().modal, view);
}
