/** A failed bridge call as the renderer sees it: a code to branch on and a message for a person. */
export interface BridgeFailure {
  code: string;
  message: string;
}

// The preload puts the code in the message (`[code] message`): contextBridge copies only that.
const CODED = /^(?:Error: )?\[([A-Za-z0-9_.-]+)\] ?([\s\S]*)$/;

export function parseBridgeError(error: unknown): BridgeFailure {
  const text = error instanceof Error ? error.message : String(error);
  const match = CODED.exec(text);
  if (match) return { code: match[1]!, message: match[2]!.trim() || match[1]! };
  const code = (error as { code?: unknown } | null)?.code;
  return { code: typeof code === 'string' ? code : 'internal', message: text };
}

/** Codes that mean the service's certificate was refused. */
const TLS_CODES = new Set(['tls_untrusted', 'tls_expired', 'tls_hostname', 'tls_pin_mismatch']);

export const isTlsCode = (code: string) => TLS_CODES.has(code);

/** What the sign-in screen says for a failed sign-in, naming the cause in plain words. */
export function signInErrorText(failure: BridgeFailure): string {
  switch (failure.code) {
    case 'unauthorized':
      return 'Wrong email or password for this tenant. Check them and try again.';
    case 'network':
      return 'The app cannot reach the service at this address. Check the server URL and your connection.';
    case 'tls_untrusted':
      return "The service's certificate is not trusted. For a self-hosted service, choose its CA certificate (PEM).";
    case 'tls_expired':
      return "The service's certificate has expired or is not yet valid, so it is not trusted.";
    case 'tls_hostname':
      return "The service's certificate is for a different address, so it is not trusted.";
    case 'tls_pin_mismatch':
      return "The service's certificate does not match the pinned key, so it is not trusted.";
    default:
      return failure.message;
  }
}
