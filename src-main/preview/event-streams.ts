import type { ServerResponse } from 'node:http';
import { BRIDGE_EVENT_NAMES } from '../../src-shared/bridge/bridge-client';
import type { BridgeEvent } from '../../src-shared/bridge/contract';
import type { HelpdeskService } from '../core/services/helpdesk-service';
import { securityHeaders } from './preview-headers';

export const KEEP_ALIVE_MS = 20_000;

/**
 * The service's events as server-sent events, one stream per open page. A new stream starts with
 * the current sync status (when signed in), so a page that reconnects after a drop catches up.
 */
export class EventStreams {
  private readonly open = new Set<ServerResponse>();

  constructor(private readonly service: Pick<HelpdeskService, 'on' | 'invoke'>) {}

  serve(response: ServerResponse): void {
    response.writeHead(200, {
      ...securityHeaders(),
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
    });
    response.write(': connected\n\n');
    this.open.add(response);

    const write = (name: BridgeEvent, payload: unknown) => {
      if (!response.writableEnded)
        response.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    };
    // Events that come while the first status is read wait behind it: they are newer.
    let waiting: [BridgeEvent, unknown][] | null = [];
    const stops = BRIDGE_EVENT_NAMES.map((name) =>
      this.service.on(name, (payload) =>
        waiting ? waiting.push([name, payload]) : write(name, payload),
      ),
    );
    void this.service
      .invoke('getSyncStatus', {})
      .then(
        (status) => write('syncStatus', status),
        () => undefined,
      )
      .finally(() => {
        for (const [name, payload] of waiting ?? []) write(name, payload);
        waiting = null;
      });
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    response.on('close', () => {
      clearInterval(keepAlive);
      stops.forEach((stop) => stop());
      this.open.delete(response);
    });
  }

  /** Ends every open stream (the HTTP server cannot close while they last). */
  closeAll(): void {
    for (const response of this.open) response.end();
  }
}
