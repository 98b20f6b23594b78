import type { NeedsAttentionItem } from '../../src-shared/bridge/contract';
import { resolveAttention } from '../actions/mutations';

const show = (value: unknown) =>
  value === null || value === undefined ? 'nothing' : String(value);

/** Changes of this ticket the service did not take as they were: the agent decides. */
export function AttentionNotice({ items }: { items: NeedsAttentionItem[] }) {
  if (items.length === 0) return null;
  return (
    <section className="attention" aria-label="Needs attention">
      <h3>Needs attention</h3>
      {items.map((item) => (
        <div key={item.id} className="attention-item">
          {item.kind === 'conflict' ? (
            <p>
              Someone else changed this ticket at the same time:{' '}
              {item.conflicts
                .map((c) => `${c.field}: yours ${show(c.mine)}, theirs ${show(c.server)}`)
                .join('; ')}
              .
            </p>
          ) : (
            <p>The service refused a change: {item.error?.message ?? item.name}.</p>
          )}
          <div className="form-actions">
            {item.kind === 'conflict' && (
              <button type="button" onClick={() => void resolveAttention(item.id, 'mine')}>
                Keep mine
              </button>
            )}
            <button type="button" onClick={() => void resolveAttention(item.id, 'theirs')}>
              {item.kind === 'conflict' ? 'Keep theirs' : 'Dismiss'}
            </button>
          </div>
        </div>
      ))}
    </section>
  );
}
