import { afterEach, describe, expect, it } from 'vitest';
import { openReplica } from '../../../../src-main/core/replica/replica';
import { DatabaseTooNewError } from '../../../../src-shared/storage/migrations';
import { FORMAT_ZERO_UPCASTS, writeFormatZero } from '../../../support/format-zero';
import {
  agentIdentity,
  IDS,
  NOW,
  newId,
  projectionDump,
  removeTempDirs,
  seededReplica,
  type TestReplica,
} from './replica-fixtures';

/**
 * Mutations an older app kept, in its format, brought to this one's when the replica opens
 * (src-main/core/replica/mutation-upcast.ts), with the tests' format 0 (tests/support/format-zero.ts):
 * every place a mutation is kept, the optimistic view rebased on the new forms, the format
 * recorded; nothing rewritten when the format is current; a newer format refused.
 */

afterEach(removeTempDirs);

/** Everything the replica keeps of its mutations, and what they make of the view. */
function kept(t: TestReplica) {
  const all = (sql: string) => t.replica.db.prepare(sql).all();
  return {
    outbox: all('SELECT id, name, args, base, inverse, seen, sent_at FROM outbox ORDER BY id'),
    held: all('SELECT ticket_id, mutations FROM held_replies ORDER BY id'),
    attention: all('SELECT mutation_id, name, args FROM needs_attention ORDER BY id'),
    overlay: all('SELECT entity, id, data FROM overlay ORDER BY entity, id'),
    projection: projectionDump(t.replica),
  };
}

/** A replica keeping mutations of each kind format 0 wrote differently, in each place. */
function withKeptMutations(): TestReplica {
  const t = seededReplica();
  const r = t.replica;
  r.mutate('setTicketFields', { ticketId: IDS.ticket, fields: { status: 'pending' } }, NOW);
  r.mutate('addTags', { ticketId: IDS.ticket2, tags: ['vip'] }, NOW);
  const reply = { id: newId(), ticketId: IDS.ticket2, body: 'On our way.', public: true };
  r.mutate('addComment', reply, NOW);
  // Sent, then refused by the service: it waits in needs-attention.
  const { mutationId } = r.mutate('addTags', { ticketId: IDS.ticket, tags: ['later'] }, NOW);
  r.markSent([1, 2, 3, mutationId], NOW);
  r.applyPushResults(
    [{ id: mutationId, status: 'rejected', error: { code: 'forbidden', message: 'No.' } }],
    NOW,
  );
  // A reply held by a hold, with a change queued after it.
  r.db
    .prepare(
      "INSERT INTO held_replies (ticket_id, held_at, seen, changes, mutations) VALUES (?, ?, '{}', '{}', ?)",
    )
    .run(
      IDS.ticket,
      NOW,
      JSON.stringify([
        {
          name: 'addComment',
          args: { ...reply, id: newId(), ticketId: IDS.ticket },
          createdAt: NOW,
        },
        { name: 'addTags', args: { ticketId: IDS.ticket, tags: ['held'] }, createdAt: NOW },
      ]),
    );
  return t;
}

describe('mutations kept in an older format', () => {
  it('are rewritten in the current one when the replica opens, and the view rebased', () => {
    const t = withKeptMutations();
    const current = kept(t);
    writeFormatZero(t.replica.db);
    const old = kept(t);
    expect(old.outbox.map((row) => (row as { name: string }).name)).toEqual([
      'setStatus',
      'addTag',
      'addComment',
      'addTag',
    ]);
    const heldNames = (old.held as Array<{ mutations: string }>).map((row) =>
      (JSON.parse(row.mutations) as Array<{ name: string }>).map((m) => m.name),
    );
    expect(heldNames).toEqual([['addComment', 'addTag']]);
    expect(old.attention).toEqual([expect.objectContaining({ name: 'addTag' })]);
    // What the old app's mutators made of its outbox is gone from the view: rebuilt on opening.
    t.replica.db.exec("DELETE FROM overlay; UPDATE tickets SET pending = 0, status = 'open'");

    t.replica.close();
    t.replica = openReplica(t.dir, agentIdentity, { mutationUpcasts: FORMAT_ZERO_UPCASTS });
    expect(kept(t)).toEqual(current);
    expect(t.replica.meta('mutationFormat')).toBe('1');
    expect(t.replica.ticket(IDS.ticket)).toMatchObject({ status: 'pending', pending: true });
  });

  it('are left as they are when their format is the current one', () => {
    const t = withKeptMutations();
    expect(t.replica.meta('mutationFormat')).toBe('1');
    const before = kept(t);
    t.reopen();
    expect(kept(t)).toEqual(before);
  });

  it('of a newer app keep the replica closed, as a newer schema does', () => {
    const t = seededReplica();
    t.replica.db.prepare("UPDATE meta SET value = '2' WHERE key = 'mutationFormat'").run();
    t.replica.close();
    expect(() => openReplica(t.dir, agentIdentity)).toThrow(DatabaseTooNewError);
    expect(() => openReplica(t.dir, agentIdentity)).toThrow(/format 2, newer than this program/);
  });
});
