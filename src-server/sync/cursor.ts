/**
 * Pull cursors are opaque to clients. Inside: the data set's epoch and the viewer's visibility
 * version (either changing expires the cursor), the last seq delivered and, while a snapshot from
 * 0 is under way, the seq it started at (older tombstones are not sent).
 */
export interface CursorState {
  epoch: string;
  visibility: number;
  seq: number;
  snapshotSeq: number | null;
}

const PREFIX = 'c1';

export function encodeCursor(state: CursorState): string {
  const parts = [PREFIX, state.epoch, state.visibility, state.seq];
  if (state.snapshotSeq !== null) parts.push(state.snapshotSeq);
  return parts.join('.');
}

/** `'start'` for the initial cursor "0", null when malformed. */
export function decodeCursor(cursor: string): CursorState | 'start' | null {
  if (cursor === '0') return 'start';
  const parts = cursor.split('.');
  if (parts.length < 4 || parts.length > 5 || parts[0] !== PREFIX) return null;
  const [, epoch, visibility, seq, snapshotSeq] = parts;
  if (!epoch || !/^[A-Za-z0-9_-]+$/.test(epoch)) return null;
  // Exactly the digits encodeCursor writes: no signs, exponents, hex or leading zeros.
  const digits = [visibility, seq, snapshotSeq].filter((p) => p !== undefined);
  if (!digits.every((p) => /^(0|[1-9][0-9]{0,15})$/.test(p))) return null;
  const numbers = [visibility, seq, snapshotSeq].map((p) => (p === undefined ? null : Number(p)));
  if (numbers.some((n) => n !== null && !Number.isSafeInteger(n))) return null;
  return { epoch, visibility: numbers[0]!, seq: numbers[1]!, snapshotSeq: numbers[2] ?? null };
}
