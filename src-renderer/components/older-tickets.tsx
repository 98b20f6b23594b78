import { useEffect, useState } from 'react';
import type { Ticket } from '../../src-shared/domain/entities';
import {
  loadOfflineWindow,
  openOnDemand,
  searchOlderTickets,
} from '../actions/offline-window-actions';
import { formatDateTime, isOffline, ticketNumber } from '../lib/format';
import { useApp } from '../state/store';

interface Found {
  text: string;
  tickets: Ticket[] | null;
  error: string | null;
}

/**
 * Under search results, when only recent tickets are kept offline: the same words searched on the
 * service among the older tickets, each opened on demand. Offline, says they are not available.
 */
export function OlderTickets({ text }: { text: string }) {
  const offline = useApp((s) => (s.sync ? isOffline(s.sync.status) : false));
  const [windowed, setWindowed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<Found | null>(null);

  useEffect(() => {
    void loadOfflineWindow().then(({ value }) => setWindowed(value?.months != null));
  }, []);

  if (!windowed) return null;
  const shown = found?.text === text ? found : null;

  const search = async () => {
    setBusy(true);
    const { value, error } = await searchOlderTickets(text);
    setBusy(false);
    setFound({ text, tickets: value, error });
  };

  return (
    <section className="older-tickets" aria-label="Server search">
      {offline ? (
        <p className="hint">
          Older tickets are not available offline: they are fetched from the service when you are
          connected.
        </p>
      ) : (
        <button type="button" disabled={busy} onClick={() => void search()}>
          Search older tickets on the server
        </button>
      )}
      {shown?.error && (
        <p role="alert" className="error">
          {shown.error}
        </p>
      )}
      {shown?.tickets?.length === 0 && <p className="hint">No older ticket matches.</p>}
      {shown?.tickets && shown.tickets.length > 0 && (
        <ul aria-label="Older tickets on the server">
          {shown.tickets.map((ticket) => (
            <li key={ticket.id}>
              <button type="button" onClick={() => void openOnDemand(ticket.id)}>
                <span>
                  {ticketNumber(ticket.number)} {ticket.subject}
                </span>
                <span className="hint">Updated {formatDateTime(ticket.updatedAt)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
