import type { IpcMain, IpcMainInvokeEvent, Session, WebContents } from 'electron';
import type {
  BridgeCall,
  BridgeEvent,
  BridgeEventPayload,
  BridgeOutput,
  SignOutResult,
} from '../../src-shared/bridge/contract';
import { BridgeError } from '../core/services/bridge-error';
import type { HelpdeskService } from '../core/services/helpdesk-service';
import {
  BRIDGE_CALLS,
  BRIDGE_EVENT_NAMES,
  eventChannel,
  invokeChannel,
  type IpcResult,
} from './channels';
import { isAppUrl } from './security';

export type BridgeService = Pick<HelpdeskService, 'invoke' | 'on'>;
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

/**
 * Trusted: the sender is the main frame of its window (not a subframe, not a frame of another
 * page) and that frame shows the renderer's origin (`isRendererUrl`). As GitHub Desktop's
 * trusted-ipc-sender.ts.
 */
export function trustedSenderFor(isRendererUrl: (url: string) => boolean): SenderCheck {
  return (event) => {
    const frame = event.senderFrame;
    if (!frame || frame !== event.sender.mainFrame) return false;
    return isRendererUrl(frame.url);
  };
}

/** The sender check of a packaged app: the app's own origin (`app://helpdesk/`) only. */
export const isTrustedSender: SenderCheck = trustedSenderFor(isAppUrl);

function toIpcError(error: unknown): IpcResult<never> {
  if (error instanceof BridgeError) {
    return { ok: false, error: { code: error.code, message: error.message } };
  }
  return { ok: false, error: { code: 'internal', message: 'Something went wrong.' } };
}

/** The only way to register an IPC handler: the sender check runs before anything else. */
function handle<C extends BridgeCall>(
  ipcMain: Pick<IpcMain, 'handle'>,
  isTrusted: SenderCheck,
  call: C,
  run: (input: unknown) => Promise<BridgeOutput<C>>,
): void {
  ipcMain.handle(
    invokeChannel(call),
    async (event, input: unknown): Promise<IpcResult<BridgeOutput<C>>> => {
      if (!isTrusted(event)) {
        return { ok: false, error: { code: 'forbidden', message: 'Untrusted sender.' } };
      }
      try {
        return { ok: true, value: await run(input) };
      } catch (error) {
        return toIpcError(error);
      }
    },
  );
}

/**
 * Registers exactly the contract's calls, each one line over `service.invoke` (which parses the
 * input with the contract). Answers are `IpcResult`s; the preload turns errors back into throws.
 */
export function registerBridge(
  ipcMain: Pick<IpcMain, 'handle'>,
  service: BridgeService,
  isTrusted: SenderCheck = isTrustedSender,
): void {
  for (const call of BRIDGE_CALLS) {
    handle(ipcMain, isTrusted, call, (input) => service.invoke(call, input));
  }
}

/** The window session's stores of what the renderer kept: web storage and the HTTP cache. */
export type WebCaches = Pick<Session, 'clearStorageData' | 'clearCache'>;

/**
 * The service, with the window session's storage (local storage, IndexedDB, service workers…)
 * and HTTP cache cleared after each sign-out that signed out: nothing the renderer kept of the
 * account outlives it.
 */
export function clearingCachesOnSignOut(service: BridgeService, caches: WebCaches): BridgeService {
  return {
    on: (event, listener) => service.on(event, listener),
    invoke: async (call, input) => {
      const output = await service.invoke(call, input);
      if (call === 'signOut' && (output as SignOutResult).status === 'signed-out') {
        await Promise.all([caches.clearStorageData(), caches.clearCache()]);
      }
      return output;
    },
  };
}

type EventTarget = Pick<WebContents, 'send' | 'isDestroyed'>;

/** Sends one contract event to a window's renderer, unless the window is gone. */
export function sendEvent<E extends BridgeEvent>(
  webContents: EventTarget,
  event: E,
  payload: BridgeEventPayload<E>,
): void {
  if (!webContents.isDestroyed()) webContents.send(eventChannel(event), payload);
}

/** Sends the service's events to one window's renderer; returns a function that stops it. */
export function forwardEvents(service: BridgeService, webContents: EventTarget): () => void {
  const stops = BRIDGE_EVENT_NAMES.map((name) =>
    service.on(name, (payload) => sendEvent(webContents, name, payload)),
  );
  return () => stops.forEach((stop) => stop());
}
