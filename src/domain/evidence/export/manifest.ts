import type { ManifestFile } from './zip-writer.js';

export interface Manifest {
  files: ManifestFile[];
  /** Hash of the last event in evidence.jsonl (the segment's head). */
  chainHead: string;
  generatedAt: string;
  generator: string;
  parameters: Record<string, unknown>;
}

export function buildManifest(input: { files: ManifestFile[]; chainHead: string; generatedAt: Date; generator: string; parameters: Record<string, unknown> }): Buffer {
  const manifest: Manifest = {
    files: input.files,
    chainHead: input.chainHead,
    generatedAt: input.generatedAt.toISOString(),
    generator: input.generator,
    parameters: input.parameters,
  };
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}

/** Reads a manifest back, checking only the shape the verifier relies on. */
export function parseManifest(text: string): Manifest {
  const m = JSON.parse(text) as Partial<Manifest>;
  if (!Array.isArray(m.files) || typeof m.chainHead !== 'string') throw new Error('manifest.json lacks files or chainHead');
  for (const f of m.files) {
    if (typeof f?.name !== 'string' || typeof f.sha256 !== 'string' || typeof f.bytes !== 'number') throw new Error('manifest.json has a malformed file entry');
  }
  return m as Manifest;
}
