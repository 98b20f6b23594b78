import { describe, expect, it } from 'vitest';
import { updateFailureMessage } from '../../../../src-main/core/updates/update-failure';

const coded = (code: string, message = 'details for the log') =>
  Object.assign(new Error(message), { code });

describe('updateFailureMessage', () => {
  it('names a checksum mismatch and a feed without this platform', () => {
    expect(updateFailureMessage('download', coded('ERR_CHECKSUM_MISMATCH'))).toBe(
      'Downloading the update failed. The file did not match its published checksum, so it was discarded.',
    );
    expect(updateFailureMessage('check', coded('ERR_UPDATER_CHANNEL_FILE_NOT_FOUND'))).toBe(
      'Checking for updates failed. No updates are published at the update address.',
    );
  });

  it('gives the status of an HTTP error, never its headers', () => {
    const error = Object.assign(new Error('500 Internal\nHeaders: {"x-request-id":"abc"}'), {
      statusCode: 500,
    });
    expect(updateFailureMessage('check', error)).toBe(
      'Checking for updates failed. The update service answered 500.',
    );
  });

  it('says what went wrong with the network or the certificate', () => {
    expect(updateFailureMessage('check', coded('ECONNREFUSED'))).toBe(
      'Checking for updates failed. The server refused the connection. It may be down.',
    );
    expect(updateFailureMessage('download', coded('CERT_HAS_EXPIRED'))).toBe(
      "Downloading the update failed. The server's certificate has expired.",
    );
  });

  it('points to the log for anything else, without quoting it', () => {
    const text = updateFailureMessage(
      'download',
      new Error('Cannot download "https://x/y?token=1"'),
    );
    expect(text).toBe('Downloading the update failed. The diagnostics log has the details.');
  });
});
