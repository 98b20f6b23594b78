import './lib/zod-without-eval';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { reportRenderError } from './actions/render-error-actions';
import { App } from './app';
import { ErrorBoundary } from './components/error-boundary';
import './styles.css';

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
