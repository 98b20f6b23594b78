import type { Macro } from '../../src-shared/domain/entities';
import type { BulkFailure } from '../lib/bulk';

/** The workspace's dialogs besides the shortcuts sheet (AppFrame keeps that one). */
export type WorkspaceDialog = 'palette' | 'new-ticket' | 'macro' | 'save-view';

/** The last triage action, with how many queued changes its Undo takes back. */
export interface Toast {
  id: number;
  text: string;
  changes: number;
}

/** What the last bulk action did: the tickets changed, and each one refused with why. */
export interface BulkReport {
  text: string;
  done: number;
  failures: BulkFailure[];
}

/** Triage beyond one field: dialogs, the toast with Undo, the bulk report and the macros. */
export interface TriageSlice {
  dialog: WorkspaceDialog | null;
  toast: Toast | null;
  bulkReport: BulkReport | null;
  macros: Macro[];
  /** The held reply whose text is being edited before it is sent. */
  heldEditing: number | null;
}

export const initialTriage = (): TriageSlice => ({
  dialog: null,
  toast: null,
  bulkReport: null,
  macros: [],
  heldEditing: null,
});
