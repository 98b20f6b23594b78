import type { WorkspaceDialog } from '../state/triage-slice';
import { appStore } from '../state/store';

/** Which of the workspace's dialogs is open (one at a time). */
export const openDialog = (dialog: WorkspaceDialog) => appStore.setState({ dialog });

export const closeDialog = () => appStore.setState({ dialog: null });
