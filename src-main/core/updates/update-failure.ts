import { classifyTransportError, messageOf } from '../net/service-error';

/**
 * What a person is told when checking for or downloading an update failed: the gist, never the
 * updater's own text (it can run to whole response headers); the log keeps the details.
 */
export function updateFailureMessage(step: 'check' | 'download', error: unknown): string {
  const what = step === 'check' ? 'Checking for updates failed' : 'Downloading the update failed';
  return `${what}. ${reasonOf(error)}`;
}

function reasonOf(error: unknown): string {
  const { code, statusCode } = (error ?? {}) as { code?: unknown; statusCode?: unknown };
  if (code === 'ERR_CHECKSUM_MISMATCH') {
    return 'The file did not match its published checksum, so it was discarded.';
  }
  if (code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND') {
    return 'No updates are published at the update address.';
  }
  if (typeof statusCode === 'number') return `The update service answered ${statusCode}.`;
  const transport = classifyTransportError(error);
  // Without a network or TLS code underneath, the classification only guesses "unreachable".
  if (transport.isTls || transport.message !== messageOf('network')) return transport.message;
  return 'The diagnostics log has the details.';
}
