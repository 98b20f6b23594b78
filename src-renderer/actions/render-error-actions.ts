import { helpdesk } from '../bridge';
/**
 * A render error the error screen caught, for the diagnostics log (the renderer has no log of
 * its own). Best effort: the screen already tells the person.
 */
export function reportRenderError(error: unknown, componentStack?: string): void {
  const { message, stack } =
    error instanceof Error ? error : { message: String(error), stack: undefined };
  const trace = [stack, componentStack].filter(Boolean).join('\n');
  void helpdesk()
    .reportRendererError({
      message: message.slice(0, 2000),
      ...(trace ? { stack: trace.slice(0, 20_000) } : {}),
    })
    .catch(() => undefined);
}
