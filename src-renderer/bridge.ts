import type { HelpdeskBridge } from '../src-shared/bridge/contract';

/** The only way to the main process (the preload or the preview's loopback sets it). */
export const helpdesk = (): HelpdeskBridge => window.helpdesk;
