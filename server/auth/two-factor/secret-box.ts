import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Db } from '../../db/database.ts';

/**
 * TOTP secrets are encrypted at rest (AES-256-GCM), so a copy of the two_factor table alone
 * (an export, a stray backup) yields no secrets. The key is generated once and kept in
 * server_secrets, like the token signing key, so every instance in scale mode shares it.
 */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

const keyName = 'two-factor-secret-key';

export async function loadSecretBox(db: Db): Promise<SecretBox> {
  await db.kysely
    .insertInto('server_secrets')
    .values({
      name: keyName,
      value: randomBytes(32).toString('base64url'),
      created_at: new Date().toISOString(),
    })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute();
  const row = await db.kysely
    .selectFrom('server_secrets')
    .select('value')
    .where('name', '=', keyName)
    .executeTakeFirstOrThrow();
  return secretBox(Buffer.from(row.value, 'base64url'));
}

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('The two-factor secret key must be 32 bytes.');
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
    },
    open(sealed) {
      const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
      if (!iv || !tag || !body) throw new Error('A sealed two-factor secret is malformed.');
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    },
  };
}
