import { AppError } from '../../errors.js';

/** A campaign's own wording is shown whole in a modal section (3000 characters) with room to spare. */
export const ATTESTATION_MAX = 1000;

/**
 * The statement a reviewer signs: the campaign's own wording when it has one, else the default
 * with the number of items they reviewed. What the modal shows is exactly what is recorded.
 */
export function attestationStatement(custom: string | null, itemCount: number): string {
  if (custom) return custom;
  return `I reviewed each of these ${itemCount} ${itemCount === 1 ? 'item' : 'items'}, and the decisions reflect current business need.`;
}

/** A campaign's wording as typed: blank means the default (null); too long is refused. */
export function normaliseAttestation(text: string | null | undefined): string | null {
  const t = text?.trim() ?? '';
  if (!t) return null;
  if (t.length > ATTESTATION_MAX) {
    throw new AppError('INVALID_INPUT', `The attestation statement is ${t.length} characters long: keep it within ${ATTESTATION_MAX}`, { field: 'attestation' });
  }
  return t;
}
