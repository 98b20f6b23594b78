import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Tokens are `<kind>_<payload>.<mac>` with an HMAC-SHA256 of the payload under the service's
 * secret. The database stores refresh token ids only: a leaked database yields no usable token,
 * and a lost response can be answered again with the very same token (the grace of the protocol).
 */
export class TokenSigner {
  constructor(private readonly secret: Buffer) {}

  private mac(kind: string, payload: string): string {
    return createHmac('sha256', this.secret).update(`${kind}:${payload}`).digest('base64url');
  }

  private sign(kind: string, payload: string): string {
    return `${kind}_${payload}.${this.mac(kind, payload)}`;
  }

  private open(kind: string, token: string): string | null {
    if (!token.startsWith(`${kind}_`)) return null;
    const body = token.slice(kind.length + 1);
    const dot = body.lastIndexOf('.');
    if (dot <= 0) return null;
    const payload = body.slice(0, dot);
    const given = Buffer.from(body.slice(dot + 1));
    const expected = Buffer.from(this.mac(kind, payload));
    return given.length === expected.length && timingSafeEqual(given, expected) ? payload : null;
  }

  refreshToken(id: string): string {
    return this.sign('rt', id);
  }

  refreshTokenId(token: string): string | null {
    return this.open('rt', token);
  }

  accessToken(claims: AccessClaims): string {
    return this.sign('at', Buffer.from(JSON.stringify(claims)).toString('base64url'));
  }

  accessClaims(token: string): AccessClaims | null {
    const payload = this.open('at', token);
    if (!payload) return null;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AccessClaims;
      return typeof claims.sid === 'string' && typeof claims.exp === 'number' ? claims : null;
    } catch {
      return null;
    }
  }
}

/** What an access token says: its session, and when it expires (seconds since the epoch). */
export interface AccessClaims {
  sid: string;
  /** The refresh token it was issued with, so the same pair can be reissued within the grace. */
  rid: string;
  exp: number;
}

export function newTokenId(): string {
  return randomBytes(18).toString('base64url');
}
