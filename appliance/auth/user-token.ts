import crypto from 'node:crypto';
import * as jose from 'jose';
import { UnauthenticatedError } from './errors.ts';

/** What a messenger server vouches for in a user token. */
export interface UserTokenClaims {
  /** The user's id on their server. */
  sub: string;
  name: string;
  /** The id of the registered server that signed the token. */
  server: string;
}

const PUBLIC_KEY_ALGORITHMS = ['RS256', 'ES256'];

function isPublicKey(key: string): boolean {
  return key.trimStart().startsWith('-----BEGIN PUBLIC KEY-----');
}

/** The server a token claims to come from, read before its signature can be checked. */
export function claimedServerId(token: string): string {
  let payload: jose.JWTPayload;
  try {
    payload = jose.decodeJwt(token);
  } catch {
    throw new UnauthenticatedError('the token is not a JWT');
  }
  if (typeof payload.server !== 'string' || payload.server.length === 0) {
    throw new UnauthenticatedError('the token names no server (claim "server")');
  }
  return payload.server;
}

/** Checks the signature with the server's key, the expiry and the claims. */
export async function verifyUserToken(token: string, serverKey: string): Promise<UserTokenClaims> {
  let payload: jose.JWTPayload;
  try {
    const verified = isPublicKey(serverKey)
      ? await jose.jwtVerify(token, async (header) => jose.importSPKI(serverKey, header.alg), { algorithms: PUBLIC_KEY_ALGORITHMS, requiredClaims: ['exp', 'sub'] })
      : await jose.jwtVerify(token, new TextEncoder().encode(serverKey), { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
    payload = verified.payload;
  } catch (error) {
    if (error instanceof jose.errors.JWTExpired) throw new UnauthenticatedError('the token has expired');
    if (error instanceof jose.errors.JWTClaimValidationFailed) throw new UnauthenticatedError(`the token's "${error.claim}" claim is missing or invalid`);
    throw new UnauthenticatedError("the token's signature does not match its server's key");
  }
  const name = typeof payload.name === 'string' && payload.name.trim() ? payload.name.trim() : String(payload.sub);
  return { sub: String(payload.sub), name, server: String(payload.server) };
}

/** Signs a token the way a messenger server does with a shared secret (demo sign-in, tests). */
export async function signUserToken(claims: UserTokenClaims, secret: string, lifetimeSeconds = 12 * 3600): Promise<string> {
  return new jose.SignJWT({ name: claims.name, server: claims.server })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + lifetimeSeconds)
    .setJti(crypto.randomUUID())
    .sign(new TextEncoder().encode(secret));
}
