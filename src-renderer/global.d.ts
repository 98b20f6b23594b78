/// <reference types="vite/client" />
import type { HelpdeskBridge } from '../src-shared/bridge/contract';

declare global {
  interface Window {
    /** The bridge to the main process: the preload (Electron) or the loopback (preview) sets it. */
    helpdesk: HelpdeskBridge;
  }
}

export {};
