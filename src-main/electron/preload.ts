// Runs sandboxed: it may import only 'electron' (esbuild bundles the rest into dist/preload.cjs).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createBridgeClient, type BridgeResult } from '../../src-shared/bridge/bridge-client';
import { eventChannel, invokeChannel } from './channels';

/** `window.helpdesk` over IPC: the shared bridge client with Electron's invoke and events. */
const bridge = createBridgeClient({
  invoke: async (call, input) =>
    (await ipcRenderer.invoke(invokeChannel(call), input)) as BridgeResult<unknown>,
  subscribe(event, listener) {
    const channel = eventChannel(event);
    // The renderer gets the payload only, never the IpcRendererEvent (it holds `sender`).
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
});

contextBridge.exposeInMainWorld('helpdesk', bridge);
