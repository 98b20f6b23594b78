// The browser preview's `window.helpdesk`: a classic script the preview server puts before the
// app's module script, bundled into one file (esbuild, iife). Under Electron the preload has
// already exposed the real bridge, and this script leaves it alone.
import { createLoopbackBridge } from './loopback-client';
import { takePreviewToken } from './preview-token';

if (!Reflect.has(window, 'helpdesk')) {
  // Without a token every call answers `[unauthorized] …`, which says how to open the preview.
  const token = takePreviewToken({ location, storage: sessionStorage, history }) ?? '';
  const bridge = createLoopbackBridge({
    origin: location.origin,
    token,
    fetch: window.fetch.bind(window),
  });
  Object.defineProperty(window, 'helpdesk', { value: Object.freeze(bridge), enumerable: true });
}
