/** Marks an item with local changes the service has not confirmed yet. */
export function PendingMark() {
  return (
    <span className="pending-mark" role="img" aria-label="Not yet synced" title="Not yet synced">
      Unsynced
    </span>
  );
}
