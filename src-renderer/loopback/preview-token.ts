const STORAGE_KEY = 'helpdesk.previewToken';

export interface TokenPlace {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  history: Pick<History, 'replaceState' | 'state'>;
}

/**
 * The preview's access token: from `#token=…` in the address the preview printed, kept in
 * sessionStorage so a reload keeps working, and taken out of the visible address (and so out of
 * bookmarks, screenshots and the history list). Null when the page was opened without it.
 */
export function takePreviewToken({ location, storage, history }: TokenPlace): string | null {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    storage.setItem(STORAGE_KEY, fromHash);
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    return fromHash;
  }
  return storage.getItem(STORAGE_KEY);
}
