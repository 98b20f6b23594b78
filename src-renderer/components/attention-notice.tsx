import type { NeedsAttentionItem } from '../../src-shared/bridge/contract';
import { TICKET_DELETED_CODE } from '../../src-shared/bridge/triage';
import type { User } from '../../src-shared/domain/entities';
import { resolveAttention } from '../actions/mutations';
import { fieldName, fieldValueText, mutationText } from '../lib/triage-text';

interface Props {
  items: NeedsAttentionItem[];
  users: User[];
}

/**
 * Changes of this ticket the service did not take as they were: for a conflict, both values side
 * by side and one key to keep mine (Shift+M) or theirs (Shift+T); a refused change is dismissed.
 * The keys act on the first item.
 */
export function AttentionNotice({ items, users }: Props) {
  if (items.length === 0) return null;
  return (
    <section className="attention" aria-label="Needs attention">
      <h3>Needs attention</h3>
      {items.map((item, i) => {
        const keys = (key: string) => (i === 0 ? `Shift+${key}` : undefined);
        return (
          <div key={item.id} className="attention-item">
            {item.kind === 'conflict' ? (
              <table className="data-table conflict">
                <caption>
                  Someone else changed this ticket while yours was on its way: which value stays?
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">Yours</th>
                    <th scope="col">Theirs (on the service)</th>
                  </tr>
                </thead>
                <tbody>
                  {item.conflicts.map((c) => (
                    <tr key={c.field}>
                      <th scope="row">{fieldName(c.field)}</th>
                      <td>{fieldValueText(c.field, c.mine, users)}</td>
                      <td>{fieldValueText(c.field, c.server, users)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <>
                <p>
                  {item.error?.code === TICKET_DELETED_CODE
                    ? 'Not sent'
                    : 'The service refused a change'}{' '}
                  ({mutationText(item, users)}): {item.error?.message ?? 'no reason given'}.
                </p>
                {typeof item.args.body === 'string' && (
                  <blockquote className="attention-body" aria-label="What it said">
                    {item.args.body}
                  </blockquote>
                )}
              </>
            )}
            <div className="form-actions">
              {item.kind === 'conflict' && (
                <button
                  type="button"
                  aria-keyshortcuts={keys('M')}
                  onClick={() => void resolveAttention(item.id, 'mine')}
                >
                  Keep mine
                </button>
              )}
              <button
                type="button"
                aria-keyshortcuts={keys('T')}
                onClick={() => void resolveAttention(item.id, 'theirs')}
              >
                {item.kind === 'conflict' ? 'Keep theirs' : 'Dismiss'}
              </button>
            </div>
          </div>
        );
      })}
    </section>
  );
}
