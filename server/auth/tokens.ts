import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';
import type { AuthContext } from '../http/route.ts';
import { problems } from '../http/problem.ts';

const issuer = 'megilance';
const audience = 'megilance-api';

export interface AccessTokens {
  ttlSeconds: number;
  sign(context: AuthContext): Promise<string>;
  /** The claims of a valid token; throws the matching 401 problem otherwise. */
  verify(token: string): Promise<AuthContext>;
}

export function createAccessTokens(secret: string, ttlSeconds: number): AccessTokens {
  const key = new TextEncoder().encode(secret);
  return {
    ttlSeconds,
    sign: ({ userId, sessionId, role }) =>
      new SignJWT({ sid: sessionId, role })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key),
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer,
          audience,
          algorithms: ['HS256'],
        });
        const { sub, sid, role, exp } = payload;
        if (typeof sub !== 'string' || typeof sid !== 'string' || !isRole(role)) {
          throw problems.tokenInvalid('The token lacks the claims of an access token.');
        }
        return { userId: sub, sessionId: sid, role, ...(exp ? { expiresAt: exp } : {}) };
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw problems.tokenExpired();
        if (error instanceof errors.JOSEError) throw problems.tokenInvalid();
        throw error;
      }
    },
  };
}

function isRole(value: unknown): value is AuthContext['role'] {
  return value === 'client' || value === 'freelancer' || value === 'admin';
}

/** Refresh tokens are opaque random strings; only their SHA-256 is stored. */
export function generateRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
