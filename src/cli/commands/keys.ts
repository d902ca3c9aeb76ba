import { chmod, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { generateSigningKey } from '../../domain/evidence/signing/signing-key.js';
import { AppError } from '../../errors.js';
import { printJson, printLines } from '../output.js';

export function register(program: Command): void {
  const keys = program.command('keys').description('the Ed25519 key that signs checkpoints and bundle manifests');
  keys
    .command('generate')
    .description('write a new private key (mode 0600) and print its public key and fingerprint')
    .option('--out <file>', 'where to write the private key (PEM); never overwritten')
    .option('--json', 'print {file, publicKey, fingerprint}')
    .action(async (opts: { out?: string; json?: boolean }) => {
      if (!opts.out) throw new AppError('INVALID_INPUT', 'Say where to write the private key: --out FILE.pem', { field: 'out' });
      const file = resolve(opts.out);
      const key = generateSigningKey();
      try {
        // `wx`: an existing key is never replaced, since everything it signed would stop verifying.
        await writeFile(file, key.privateKeyPem, { mode: 0o600, flag: 'wx' });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new AppError('CONFLICT', `${file} already exists; not overwriting a key (move it away or choose another --out)`, { field: 'out' });
        throw new AppError('INVALID_INPUT', `Cannot write ${file}: ${(err as Error).message}`, { field: 'out', cause: err });
      }
      // The mode given to open() is narrowed by the umask, never widened; this makes it exact.
      await chmod(file, 0o600);
      if (opts.json) {
        printJson({ file, publicKey: key.publicKeyPem, fingerprint: key.keyId });
        return;
      }
      printLines(
        `Wrote the private key to ${file} (mode 0600). Keep it secret and set ATTEST_SIGNING_KEY=${file}`,
        `Fingerprint: ${key.keyId}`,
        'Public key (give it, or the fingerprint, to whoever verifies checkpoints and bundles):',
        key.publicKeyPem.trimEnd(),
      );
    });
}
