import './lib/zod-without-eval';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadDeviceSettings } from './actions/device-actions';
import { startLive } from './actions/live';
import { reportRenderError } from './actions/render-error-actions';
import { startApp } from './actions/session-actions';
import { App } from './app';
import { ErrorBoundary } from './components/error-boundary';
import './styles.css';

// The first requests go out now, while React makes its first render, rather than from an effect
// after it: the workspace's rows come that much sooner at start-up. For the app's lifetime.
startLive();
void startApp();
void loadDeviceSettings();

createRoot(document.getElementById('root')!, {
  // What the error screen caught goes to the diagnostics log, not to a console nobody reads.
  onCaughtError: (error, info) => reportRenderError(error, info.componentStack),
}).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
