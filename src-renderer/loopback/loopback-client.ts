import {
  createBridgeClient,
  isBridgeEventName,
  type BridgeResult,
} from '../../src-shared/bridge/bridge-client';
import type { BridgeEvent, HelpdeskBridge } from '../../src-shared/bridge/contract';
import { openEventStream } from './event-stream';

export interface LoopbackOptions {
  /** The preview's origin, e.g. `http://127.0.0.1:5173`. */
  origin: string;
  token: string;
  fetch: typeof fetch;
}

function isBridgeResult(body: unknown): body is BridgeResult<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false;
  if (body.ok === true) return 'value' in body;
  if (body.ok !== false || !('error' in body)) return false;
  const error = body.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

/**
 * `window.helpdesk` for the browser preview: each call is a POST to the preview's loopback bridge,
 * and every event arrives on one shared server-sent-events stream, opened at the first `on`.
 */
export function createLoopbackBridge({ origin, token, fetch }: LoopbackOptions): HelpdeskBridge {
  const listeners = new Map<BridgeEvent, Set<(payload: unknown) => void>>();
  let stream: { close(): void } | null = null;

  const dispatch = (name: string, data: string) => {
    if (!isBridgeEventName(name)) return;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    for (const listener of [...(listeners.get(name) ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        // Reported like any uncaught error, without ending the stream for the other listeners.
        setTimeout(() => {
          throw error;
        });
      }
    }
  };

  return createBridgeClient({
    async invoke(call, input) {
      let response: Response;
      try {
        response = await fetch(`${origin}/__bridge/invoke/${call}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(input ?? {}),
          cache: 'no-store',
        });
      } catch {
        return {
          ok: false,
          error: { code: 'preview_unreachable', message: 'The preview server cannot be reached.' },
        };
      }
      const body: unknown = await response.json().catch(() => null);
      if (isBridgeResult(body)) return body;
      return {
        ok: false,
        error: { code: 'internal', message: `The preview server answered ${response.status}.` },
      };
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      stream ??= openEventStream({
        url: `${origin}/__bridge/events`,
        token,
        fetch,
        onEvent: dispatch,
      });
      return () => {
        set.delete(listener);
      };
    },
  });
}
