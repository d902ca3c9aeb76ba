import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/**
 * Ed25519 keys for checkpoints and bundles, all through node:crypto. A key is named by its
 * fingerprint: the SHA-256 of the public key's DER (SubjectPublicKeyInfo), in hex. That is the
 * `keyId` written beside every signature and the value an auditor is given beforehand.
 */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Fingerprint of the public key (64 hex characters). */
  keyId: string;
}

export function generateSigningKey(): { privateKeyPem: string; publicKeyPem: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKeyPem(publicKey),
    keyId: fingerprint(publicKey),
  };
}

export function fingerprint(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

export function publicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** Reads the private key named by ATTEST_SIGNING_KEY; a clear error if it is not an Ed25519 key. */
export async function loadSigningKey(path: string): Promise<SigningKey> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the signing key ${path}: ${(err as Error).message}`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new Error(`${path} is not a PEM private key (make one with: attest keys generate --out ${path})`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${path} holds a ${privateKey.asymmetricKeyType ?? 'unknown'} key; Attest signs with Ed25519 (attest keys generate)`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: fingerprint(publicKey) };
}

/** Reads a public key given as PEM text (a bundle's public-key.pem, or an auditor's copy). */
export function parsePublicKey(pem: string | Buffer): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the public key is ${key.asymmetricKeyType ?? 'unknown'}, not Ed25519`);
  return key;
}

/** Base64 Ed25519 signature over exactly these bytes. */
export function signBytes(key: SigningKey, bytes: Buffer | string): string {
  return sign(null, Buffer.from(bytes), key.privateKey).toString('base64');
}

export function verifyBytes(publicKey: KeyObject, bytes: Buffer | string, signatureBase64: string): boolean {
  try {
    return verify(null, Buffer.from(bytes), publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
