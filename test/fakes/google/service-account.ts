import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ServiceAccountKeys {
  clientEmail: string;
  privateKeyId: string;
  privateKeyPem: string;
  publicKey: KeyObject;
}

/** A fresh RSA key pair per test run: the fake verifies assertions with the public half. */
export function generateServiceAccount(clientEmail = 'attest-sync@attest-test.iam.gserviceaccount.com'): ServiceAccountKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    clientEmail,
    privateKeyId: randomBytes(20).toString('hex'),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey,
  };
}

/** Writes a key file in the shape the Cloud console downloads, pointing `token_uri` at the fake. */
export function writeKeyFile(dir: string, keys: ServiceAccountKeys, tokenUri: string): string {
  const path = join(dir, 'google-key.json');
  const file = {
    type: 'service_account',
    project_id: 'attest-test',
    private_key_id: keys.privateKeyId,
    private_key: keys.privateKeyPem,
    client_email: keys.clientEmail,
    client_id: '104857600000000000001',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: tokenUri,
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(keys.clientEmail)}`,
    universe_domain: 'googleapis.com',
  };
  writeFileSync(path, JSON.stringify(file, null, 2));
  return path;
}
