import type { ViewOutput } from '@slack/bolt';
import { ACTION } from '../../ids.js';

/** Reads one input of a submitted modal (every input's action id is ACTION.input). */
export function inputOf(view: ViewOutput, blockId: string) {
  return view.state.values[blockId]?.[ACTION.input];
}

export function textOf(view: ViewOutput, blockId: string): string {
  return (inputOf(view, blockId)?.value ?? '').trim();
}

export function choiceOf(view: ViewOutput, blockId: string): string | null {
  return inputOf(view, blockId)?.selected_option?.value ?? null;
}

export function choicesOf(view: ViewOutput, blockId: string): string[] {
  return (inputOf(view, blockId)?.selected_options ?? []).map((o) => o.value);
}

/** Comma-separated free text as a list, blanks dropped. */
export function listOf(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
