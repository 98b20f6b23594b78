/** An error the bridge hands to the renderer: a code to branch on and a message for a person. */
export class BridgeError extends Error {
  override readonly name = 'BridgeError';

  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
