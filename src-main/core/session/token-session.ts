import type { TokenResponse } from '../../../src-shared/protocol/auth';
import { ServiceError } from '../net/service-error';
import { SignInRequiredError, type AccessTokens } from '../sync/sync-engine';

/** Where the refresh token lives between runs (the OS keychain); structurally a CredentialStore. */
export interface RefreshTokenStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
}

export interface RefreshApi {
  refresh(refreshToken: string, clientId: string): Promise<TokenResponse>;
}

/**
 * Refresh this long before the access token expires, so that no call goes out with a stale one;
 * at most a quarter of the token's life, or a short-lived token would be refreshed before every
 * call (a rotation and a keychain write each).
 */
const REFRESH_AHEAD_MS = 60_000;

/**
 * The access token (memory only) and the rotating refresh token (keychain only) of one account.
 * Refreshes are single-flight: concurrent callers share one exchange, so a rotation is never
 * spent twice by this process.
 */
export class TokenSession implements AccessTokens {
  private accessToken: string | null = null;
  private expiresAt = 0;
  private refreshAheadMs = REFRESH_AHEAD_MS;
  private inFlight: Promise<string> | null = null;
  private moving: Promise<void> | null = null;
  private listeners = new Set<(tokens: TokenResponse) => void>();

  constructor(
    private readonly api: RefreshApi,
    private readonly store: RefreshTokenStore,
    private account: string,
    private readonly clientId: () => string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Adopts the tokens of a fresh log-in: the refresh token goes to the keychain at once. */
  async adopt(tokens: TokenResponse): Promise<void> {
    await this.store.set(this.account, tokens.refreshToken);
    this.remember(tokens);
  }

  /** Called with every new token response (the role may have changed). */
  onTokens(listener: (tokens: TokenResponse) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private remember(tokens: TokenResponse): void {
    this.accessToken = tokens.accessToken;
    this.expiresAt = this.clock().getTime() + tokens.expiresIn * 1000;
    this.refreshAheadMs = Math.min(REFRESH_AHEAD_MS, (tokens.expiresIn * 1000) / 4);
    for (const listener of this.listeners) listener(tokens);
  }

  /** Forgets the access token (sign-out); the keychain entry is the caller's to delete. */
  clear(): void {
    this.accessToken = null;
    this.expiresAt = 0;
  }

  /**
   * Moves the session to another keychain account (the user's email, part of its name, changed).
   * `move` carries the refresh token from the old name to the new one; it runs between refreshes,
   * never during one, so that no rotation lands under the old name after the copy. If it throws,
   * the session stays on the old name.
   */
  async moveAccount(
    account: string,
    move: (from: string, to: string) => Promise<void>,
  ): Promise<void> {
    while (this.inFlight || this.moving) {
      await (this.inFlight ?? this.moving)?.catch(() => undefined);
    }
    const moving = move(this.account, account).then(() => {
      this.account = account;
    });
    this.moving = moving;
    try {
      await moving;
    } finally {
      this.moving = null;
    }
  }

  async current(): Promise<string> {
    if (this.accessToken && this.expiresAt - this.clock().getTime() > this.refreshAheadMs)
      return this.accessToken;
    return this.refresh();
  }

  refreshAfterUnauthorized(): Promise<string> {
    this.accessToken = null;
    return this.refresh();
  }

  private refresh(): Promise<string> {
    this.inFlight ??= this.exchange().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async exchange(): Promise<string> {
    await this.moving?.catch(() => undefined);
    const refreshToken = await this.store.get(this.account);
    if (!refreshToken) throw new SignInRequiredError('Please sign in again.');
    let tokens: TokenResponse;
    try {
      tokens = await this.api.refresh(refreshToken, this.clientId());
    } catch (error) {
      if (ServiceError.is(error, 'http') && error.code === 'unauthorized') {
        throw new SignInRequiredError('Your session has ended. Please sign in again.');
      }
      throw error;
    }
    // Stored before use: if we crash now, the next start presents the new token, not a spent one.
    await this.store.set(this.account, tokens.refreshToken);
    this.remember(tokens);
    return tokens.accessToken;
  }
}
