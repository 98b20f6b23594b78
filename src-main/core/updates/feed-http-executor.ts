import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { request, type Agent } from 'node:https';
import {
  configureRequestOptions,
  configureRequestUrl,
  HttpExecutor,
  type DownloadOptions,
} from 'builder-util-runtime';

/**
 * electron-updater's HTTP (the feed file, the installer, block maps) over Node's https with an
 * agent of ours (`createTlsAgent`: the system CAs plus the configured CA, certificate checks always
 * on), in place of its executor over Electron's `net`. So the feed, served by the help desk
 * service, is trusted exactly as the service client trusts the service, and the same code runs
 * under Node in the tests. Redirects are followed by HttpExecutor (Node reports them as answers
 * with a Location); any that leaves https fails the request.
 */
export class FeedHttpExecutor extends HttpExecutor<ClientRequest> {
  constructor(private readonly agent: Agent) {
    super();
  }

  override createRequest(
    options: RequestOptions,
    callback: (response: IncomingMessage) => void,
  ): ClientRequest {
    const secure = options.protocol === 'https:';
    const sent = request({ ...options, protocol: 'https:', agent: this.agent }, callback);
    // Failing as a request (not by throwing) reaches the caller's error handler, wherever the
    // request was made: a redirect is followed from inside a response callback.
    if (!secure) {
      sent.destroy(new Error(`Updates are fetched over https only, not ${options.protocol}.`));
    }
    return sent;
  }

  /** What electron-updater's own executor adds to HttpExecutor: a download to a file, verified. */
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          callback: (error) => (error ? reject(error) : resolve(destination)),
          responseHandler: null,
        },
        0,
      );
    });
  }
}
