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

  private signJson(kind: string, claims: object): string {
    return this.sign(kind, Buffer.from(JSON.stringify(claims)).toString('base64url'));
  }

  private openJson(kind: string, token: string): Record<string, unknown> | null {
    const payload = this.open(kind, token);
    if (!payload) return null;
    try {
      const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      return typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)
        : null;
    } catch {
      return null;
    }
  }

  accessToken(claims: AccessClaims): string {
    return this.signJson('at', claims);
  }

  accessClaims(token: string): AccessClaims | null {
    const claims = this.openJson('at', token);
    return typeof claims?.sid === 'string' && typeof claims.exp === 'number'
      ? (claims as unknown as AccessClaims)
      : null;
  }

  /** Operator tokens have a kind of their own: the MAC covers it, so no user token passes. */
  operatorToken(claims: OperatorClaims): string {
    return this.signJson('ot', claims);
  }

  operatorClaims(token: string): OperatorClaims | null {
    const claims = this.openJson('ot', token);
    return typeof claims?.oid === 'string' && typeof claims.exp === 'number'
      ? (claims as unknown as OperatorClaims)
      : null;
  }
}

/** What an operator token says: the operator, and when it expires (seconds since the epoch). */
export interface OperatorClaims {
  oid: string;
  exp: number;
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
