import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import { context, type ModalView } from './blocks.js';
import { escapeText } from './text.js';

/** What the note submission needs back: the task, and the DM message whose button was clicked. */
export interface TaskNoteMetadata {
  taskId: string;
  channelId: string | null;
  messageTs: string | null;
}

export const TASK_NOTE_MAX = 1000;
export const TASK_NOTE_QUESTION = 'What was done? You are marking this for its owner.';

/**
 * An admin marking someone else's task done says what was done: one plain-text note, kept with
 * the task.done evidence event. The owner never sees this modal (one click does it for them).
 */
export function buildTaskNoteModal(meta: TaskNoteMetadata, description: string | null): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.taskNote,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: 'Mark done for owner' },
    submit: { type: 'plain_text', text: 'Mark done' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      ...(description ? [context(`*Task:* ${escapeText(description)}`)] : []),
      {
        type: 'input',
        block_id: BLOCK.taskNote,
        label: { type: 'plain_text', text: TASK_NOTE_QUESTION },
        element: {
          type: 'plain_text_input',
          action_id: ACTION.input,
          multiline: true,
          max_length: TASK_NOTE_MAX,
          placeholder: { type: 'plain_text', text: 'e.g. removed in the AWS console; the owner is on leave' },
        },
        hint: { type: 'plain_text', text: 'Kept as audit evidence with the task.' },
      },
    ],
  };
}

export function parseTaskNoteMetadata(raw: string): TaskNoteMetadata | null {
  try {
    const m = JSON.parse(raw) as Partial<TaskNoteMetadata>;
    if (typeof m.taskId !== 'string') return null;
    return { taskId: m.taskId, channelId: typeof m.channelId === 'string' ? m.channelId : null, messageTs: typeof m.messageTs === 'string' ? m.messageTs : null };
  } catch {
    return null;
  }
}
