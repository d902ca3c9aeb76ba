import { readFileSync } from 'node:fs';

let cached: string | undefined;

/**
 * `attest <version>` from package.json, read at run time: src/ and dist/ both sit four levels
 * below the package root, and importing the JSON would pull it into the compiled tree.
 */
export function generatorName(): string {
  if (cached) return cached;
  let version = 'unknown';
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    version = pkg.version ?? version;
  } catch {
    // A relocated build without package.json still exports; the manifest says the version is unknown.
  }
  cached = `attest ${version}`;
  return cached;
}
