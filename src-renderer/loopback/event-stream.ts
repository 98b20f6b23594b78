import { createParser } from 'eventsource-parser';

export interface EventStreamOptions {
  url: string;
  token: string;
  fetch: typeof fetch;
  onEvent(name: string, data: string): void;
  /** Waits between reconnections: doubling from the first to the last. */
  backoffMs?: { first: number; last: number };
}

/**
 * Server-sent events over fetch rather than EventSource, so the token goes in a header and never in
 * a URL. When the stream drops or cannot be opened, it reconnects with backoff until closed.
 */
export function openEventStream(options: EventStreamOptions): { close(): void } {
  const { first, last } = options.backoffMs ?? { first: 500, last: 10_000 };
  let closed = false;
  let controller: AbortController | null = null;
  let wake: (() => void) | null = null;
  let delay = first;

  async function readOnce(): Promise<void> {
    controller = new AbortController();
    const response = await options.fetch(options.url, {
      headers: { authorization: `Bearer ${options.token}`, accept: 'text/event-stream' },
      cache: 'no-store',
      signal: controller.signal,
    });
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return;
    }
    delay = first;
    const parser = createParser({
      onEvent: (message) => options.onEvent(message.event ?? 'message', message.data),
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(value);
    }
  }

  async function run(): Promise<void> {
    while (!closed) {
      // A refused connection, a dropped stream and a server restart all end up in the wait below.
      await readOnce().catch(() => undefined);
      if (closed) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, delay);
      });
      delay = Math.min(delay * 2, last);
    }
  }

  void run();
  return {
    close() {
      closed = true;
      controller?.abort();
      wake?.();
    },
  };
}
