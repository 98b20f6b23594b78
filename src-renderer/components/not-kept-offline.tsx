/** On an open ticket outside "keep offline": it came from the service, and will not stay. */
export function NotKeptOffline() {
  return (
    <p className="offline-hint not-kept-offline" role="note">
      Not kept offline: this ticket is older than what this computer keeps, so it was fetched from
      the service. It stays for a day, or while you work on it.
    </p>
  );
}
