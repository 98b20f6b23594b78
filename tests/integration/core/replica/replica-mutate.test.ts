import { afterEach, describe, expect, it } from 'vitest';
import { MUTATION_MAX_BYTES } from '../../../../src-shared/protocol/sync';
import { LocalMutationError, type Replica } from '../../../../src-main/core/replica/replica';
import {
  IDS,
  NOW,
  adminIdentity,
  newId,
  outbox,
  projected,
  projectedTags,
  projectionMismatches,
  removeTempDirs,
  search,
  seededReplica,
} from './replica-fixtures';

/**
 * Local mutations on a real replica file: zod validation, local rejection, the outbox with its
 * consecutive ids and `base`, the optimistic view, the size limit, and one transaction for all.
 */

afterEach(removeTempDirs);

function refusal(fn: () => unknown): LocalMutationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LocalMutationError);
    return error as LocalMutationError;
  }
  throw new Error('expected a LocalMutationError');
}

function overlayCount(replica: Replica): number {
  return (replica.db.prepare('SELECT count(*) AS n FROM overlay').get() as { n: number }).n;
}

describe('validation', () => {
  const invalid: Array<[string, string, unknown]> = [
    ['unknown mutation name', 'closeEverything', { ticketId: IDS.ticket }],
    ['args not an object', 'setTicketFields', 'status=open'],
    ['id not a UUID', 'setTicketFields', { ticketId: 'T-7', fields: { status: 'open' } }],
    ['unknown status', 'setTicketFields', { ticketId: IDS.ticket, fields: { status: 'gone' } }],
    ['no field set', 'setTicketFields', { ticketId: IDS.ticket, fields: {} }],
    [
      'unknown member',
      'setTicketFields',
      { ticketId: IDS.ticket, fields: { status: 'open' }, force: true },
    ],
    [
      'empty comment',
      'addComment',
      { id: newId(), ticketId: IDS.ticket, body: '  ', public: true },
    ],
    ['bad tag', 'addTags', { ticketId: IDS.ticket, tags: ['two words'] }],
    ['no tags', 'removeTags', { ticketId: IDS.ticket, tags: [] }],
    ['bad email', 'createContact', { id: newId(), name: 'X', email: 'not-an-email' }],
    ['noop with args', 'noop', { x: 1 }],
  ];

  it.each(invalid)('refuses %s with bad_request and queues nothing', (_why, name, args) => {
    const { replica } = seededReplica();
    const error = refusal(() => replica.mutate(name, args, NOW));
    expect(error.code).toBe('bad_request');
    expect(outbox(replica)).toEqual([]);
    expect(overlayCount(replica)).toBe(0);
    expect(replica.counts()).toEqual({ pending: 0, needsAttention: 0 });
    expect(replica.mutate('noop', {}, NOW).mutationId).toBe(1);
  });

  it('names the bad fields in the details', () => {
    const { replica } = seededReplica();
    const error = refusal(() =>
      replica.mutate(
        'setTicketFields',
        { ticketId: IDS.ticket, fields: { priority: 'asap' } },
        NOW,
      ),
    );
    expect(JSON.stringify(error.details)).toContain('priority');
  });

  it('refuses an admin-only mutation for an agent (forbidden)', () => {
    const { replica } = seededReplica();
    expect(refusal(() => replica.mutate('deleteTicket', { ticketId: IDS.ticket }, NOW)).code).toBe(
      'forbidden',
    );
    expect(
      refusal(() => replica.mutate('updateCompany', { fields: { name: 'Evil Corp' } }, NOW)).code,
    ).toBe('forbidden');
    expect(outbox(replica)).toEqual([]);
    expect(projected(replica, IDS.ticket)).toBeDefined();
  });
});

describe('locally impossible mutations', () => {
  const impossible: Array<[string, string, () => unknown, string]> = [
    [
      'an edit of an unknown ticket',
      'setTicketFields',
      () => ({ ticketId: IDS.missing, fields: { status: 'open' } }),
      'not_found',
    ],
    [
      'tags of an unknown ticket',
      'addTags',
      () => ({ ticketId: IDS.missing, tags: ['a'] }),
      'not_found',
    ],
    [
      'a comment on an unknown ticket',
      'addComment',
      () => ({ id: newId(), ticketId: IDS.missing, body: 'hi', public: true }),
      'not_found',
    ],
    [
      'a ticket for an unknown requester',
      'createTicket',
      () => ({ id: newId(), subject: 'S', description: '', requesterId: IDS.missing }),
      'not_found',
    ],
    [
      'a ticket whose id exists',
      'createTicket',
      () => ({ id: IDS.ticket, subject: 'S', description: '', requesterId: IDS.contact }),
      'already_exists',
    ],
    [
      'an unknown assignee',
      'setTicketFields',
      () => ({ ticketId: IDS.ticket, fields: { assigneeId: IDS.missing } }),
      'not_found',
    ],
  ];

  it.each(impossible)('refuses %s and queues nothing', (_why, name, args, code) => {
    const { replica } = seededReplica();
    replica.mutate('addTags', { ticketId: IDS.ticket2, tags: ['first'] }, NOW);
    const before = outbox(replica);
    const nextBefore = replica.meta('nextMutationId');
    expect(refusal(() => replica.mutate(name, args(), NOW)).code).toBe(code);
    expect(outbox(replica)).toEqual(before);
    expect(replica.meta('nextMutationId')).toBe(nextBefore);
    expect(replica.mutate('noop', {}, NOW).mutationId).toBe(2);
  });
});

describe('the outbox', () => {
  it('appends mutations with consecutive ids, raw args and creation time', () => {
    const { replica } = seededReplica();
    const commentId = newId();
    const ids = [
      replica.mutate(
        'setTicketFields',
        { ticketId: IDS.ticket, fields: { status: 'pending' } },
        NOW,
      ),
      replica.mutate('addTags', { ticketId: IDS.ticket, tags: ['VIP'] }, NOW),
      replica.mutate(
        'addComment',
        { id: commentId, ticketId: IDS.ticket, body: 'On it', public: true },
        NOW,
      ),
    ].map((r) => r.mutationId);
    expect(ids).toEqual([1, 2, 3]);
    const rows = outbox(replica);
    expect(rows.map((r) => [r.id, r.name])).toEqual([
      [1, 'setTicketFields'],
      [2, 'addTags'],
      [3, 'addComment'],
    ]);
    expect(rows[1]!.args).toEqual({ ticketId: IDS.ticket, tags: ['VIP'] });
    expect(rows.every((r) => r.sent_at === null && r.result === null)).toBe(true);
    expect(replica.db.prepare('SELECT DISTINCT created_at FROM outbox').all()).toEqual([
      { created_at: NOW },
    ]);
    expect(replica.counts()).toEqual({ pending: 3, needsAttention: 0 });
  });

  it('fills base with the current values of the ticket fields it sets, pending changes included', () => {
    const { replica } = seededReplica();
    replica.mutate(
      'setTicketFields',
      { ticketId: IDS.ticket, fields: { status: 'pending', assigneeId: null, type: 'problem' } },
      NOW,
    );
    replica.mutate(
      'setTicketFields',
      { ticketId: IDS.ticket, fields: { status: 'solved', priority: 'low' } },
      NOW,
    );
    const [first, second] = outbox(replica);
    expect(first!.base).toEqual({ status: 'open', assigneeId: IDS.agent, type: 'incident' });
    expect(second!.base).toEqual({ status: 'pending', priority: 'normal' });
    expect(replica.pushBatch()[1]).toEqual({
      id: 2,
      name: 'setTicketFields',
      args: { ticketId: IDS.ticket, fields: { status: 'solved', priority: 'low' } },
      base: { status: 'pending', priority: 'normal' },
    });
  });

  it('fills base for updateProfile and setCommunicationPreferences (null for an absent field)', () => {
    const { replica } = seededReplica();
    replica.mutate('updateProfile', { fields: { title: 'Lead', fax: '+1 555 0111' } }, NOW);
    replica.mutate('setCommunicationPreferences', { newsletter: true, productUpdates: false }, NOW);
    const [profile, prefs] = outbox(replica);
    expect(profile!.base).toEqual({ title: 'Support agent', fax: null });
    expect(prefs!.base).toEqual({ newsletter: false, productUpdates: true });
  });

  it('fills base for updateCompany (admin)', () => {
    const { replica } = seededReplica(adminIdentity);
    replica.mutate('updateCompany', { fields: { website: '', seats: 12 } }, NOW);
    expect(outbox(replica)[0]!.base).toEqual({ website: 'https://acme.example', seats: 10 });
    expect(replica.reader().get('company', IDS.tenant)).toMatchObject({ website: null, seats: 12 });
  });

  it('sends no base for mutations that do not set fields', () => {
    const { replica } = seededReplica();
    replica.mutate('addTags', { ticketId: IDS.ticket, tags: ['vip'] }, NOW);
    replica.mutate('createContact', { id: newId(), name: 'New Person' }, NOW);
    expect(outbox(replica).map((r) => r.base)).toEqual([null, null]);
    expect(replica.pushBatch().every((m) => !('base' in m))).toBe(true);
  });
});

describe('the optimistic view', () => {
  it('shows a field edit in the reader and the projection, marked pending', () => {
    const { replica } = seededReplica();
    replica.mutate(
      'setTicketFields',
      {
        ticketId: IDS.ticket,
        fields: { status: 'on_hold', priority: 'urgent', subject: 'Toner leak' },
      },
      NOW,
    );
    expect(replica.reader().get('ticket', IDS.ticket)).toMatchObject({
      status: 'on_hold',
      priority: 'urgent',
      subject: 'Toner leak',
      updatedAt: NOW,
    });
    expect(replica.ticket(IDS.ticket)?.pending).toBe(true);
    expect(replica.ticket(IDS.ticket2)?.pending).toBe(false);
    expect(projected(replica, IDS.ticket)).toMatchObject({
      status: 'on_hold',
      priority: 'urgent',
      priorityRank: 3,
      subject: 'Toner leak',
      updatedAt: NOW,
      pending: 1,
    });
    expect(projected(replica, IDS.ticket2)?.pending).toBe(0);
    expect(search(replica, 'leak')).toEqual([IDS.ticket]);
    expect(projectionMismatches(replica)).toEqual([]);
  });

  it('shows tags, comments, new tickets and contacts', () => {
    const { replica } = seededReplica();
    const ticketId = newId();
    const contactId = newId();
    const commentId = newId();
    replica.mutate('addTags', { ticketId: IDS.ticket, tags: ['VIP', ' billing '] }, NOW);
    replica.mutate('removeTags', { ticketId: IDS.ticket, tags: ['printer'] }, NOW);
    replica.mutate(
      'createContact',
      { id: contactId, name: 'Elmer Fudd', email: 'elmer@example.test' },
      NOW,
    );
    replica.mutate(
      'createTicket',
      {
        id: ticketId,
        subject: 'Rabbit season',
        description: 'Duck season',
        requesterId: contactId,
        tags: ['hunting'],
      },
      NOW,
    );
    replica.mutate(
      'addComment',
      { id: commentId, ticketId, body: 'Wabbit spotted', public: false },
      NOW,
    );
    expect(projectedTags(replica, IDS.ticket)).toEqual(['billing', 'hardware', 'vip']);
    expect(
      replica
        .all('contact')
        .map((c) => c.name)
        .sort(),
    ).toEqual(['Elmer Fudd', 'Road Runner', 'Wile Coyote']);
    expect(projected(replica, ticketId)).toMatchObject({
      number: null,
      status: 'new',
      priority: 'normal',
      requesterId: contactId,
      pending: 1,
    });
    expect(replica.projection.commentsOf(ticketId).map((c) => c.body)).toEqual(['Wabbit spotted']);
    expect(search(replica, 'wabbit')).toEqual([ticketId]);
    expect(search(replica, 'fudd')).toEqual([ticketId]);
    expect(projectedTags(replica, ticketId)).toEqual(['hunting']);
    expect(projectionMismatches(replica)).toEqual([]);
  });

  it('marks a ticket pending when only a comment on it is pending', () => {
    const { replica } = seededReplica();
    replica.mutate(
      'addComment',
      { id: newId(), ticketId: IDS.ticket2, body: 'Reset link sent', public: true },
      NOW,
    );
    expect(projected(replica, IDS.ticket2)).toMatchObject({ pending: 1, updatedAt: NOW });
    expect(search(replica, 'reset')).toEqual([IDS.ticket2]);
  });

  it('a profile name change shows in the profile and in the public user row', () => {
    const { replica } = seededReplica();
    replica.mutate('updateProfile', { fields: { name: 'Agent Jones', phone: '' } }, NOW);
    expect(replica.reader().get('profile', IDS.agent)).toMatchObject({
      name: 'Agent Jones',
      phone: null,
    });
    expect(replica.reader().get('user', IDS.agent)?.name).toBe('Agent Jones');
  });

  it('a local delete (admin) takes the ticket and its comments out of the view', () => {
    const { replica } = seededReplica(adminIdentity);
    replica.mutate('deleteTicket', { ticketId: IDS.ticket }, NOW);
    expect(replica.reader().get('ticket', IDS.ticket)).toBeNull();
    expect(replica.reader().get('comment', IDS.comment)).toBeNull();
    expect(projected(replica, IDS.ticket)).toBeUndefined();
    expect(search(replica, 'toner')).toEqual([]);
    expect(replica.all('ticket').map((t) => t.id)).toEqual([IDS.ticket2]);
    expect(projectionMismatches(replica)).toEqual([]);
  });
});

describe('the size limit', () => {
  it(`refuses a mutation over ${MUTATION_MAX_BYTES / 1024} KiB (payload_too_large) and queues nothing`, () => {
    const { replica } = seededReplica();
    // Valid for the schema (at most 65,536 characters), but 6 bytes a character once in JSON.
    const body = '\u0001'.repeat(50_000);
    const args = { id: newId(), ticketId: IDS.ticket, body: `x${body}`, public: true };
    expect(Buffer.byteLength(JSON.stringify(args))).toBeGreaterThan(MUTATION_MAX_BYTES);
    expect(refusal(() => replica.mutate('addComment', args, NOW)).code).toBe('payload_too_large');
    expect(outbox(replica)).toEqual([]);
    expect(replica.projection.commentsOf(IDS.ticket)).toHaveLength(1);
  });

  it('accepts a large mutation under the limit', () => {
    const { replica } = seededReplica();
    const body = 'é'.repeat(60_000);
    expect(
      replica.mutate('addComment', { id: newId(), ticketId: IDS.ticket, body, public: true }, NOW),
    ).toEqual({
      mutationId: 1,
    });
    expect(outbox(replica)[0]!.args.body).toBe(body);
  });
});

describe('one transaction', () => {
  it('leaves nothing behind when writing the outbox fails after the overlay was written', () => {
    const { replica } = seededReplica();
    replica.db.exec(
      "CREATE TEMP TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END",
    );
    expect(() =>
      replica.mutate(
        'setTicketFields',
        { ticketId: IDS.ticket, fields: { status: 'solved' } },
        NOW,
      ),
    ).toThrow(/disk I\/O error/);
    expect(overlayCount(replica)).toBe(0);
    expect(replica.meta('nextMutationId')).toBe('1');
    expect(replica.reader().get('ticket', IDS.ticket)?.status).toBe('open');
    expect(projected(replica, IDS.ticket)).toMatchObject({ status: 'open', pending: 0 });
    replica.db.exec('DROP TRIGGER fail_outbox');
    expect(
      replica.mutate(
        'setTicketFields',
        { ticketId: IDS.ticket, fields: { status: 'solved' } },
        NOW,
      ),
    ).toEqual({ mutationId: 1 });
  });

  it('leaves nothing queued when updating the projection fails', () => {
    const { replica } = seededReplica();
    replica.db.exec(
      "CREATE TEMP TRIGGER fail_projection BEFORE UPDATE ON tickets BEGIN SELECT RAISE(ABORT, 'projection failed'); END",
    );
    expect(() => replica.mutate('addTags', { ticketId: IDS.ticket, tags: ['x'] }, NOW)).toThrow(
      /projection failed/,
    );
    expect(outbox(replica)).toEqual([]);
    expect(overlayCount(replica)).toBe(0);
    expect(replica.reader().get('ticket', IDS.ticket)?.tags).toEqual(['hardware', 'printer']);
    expect(projectedTags(replica, IDS.ticket)).toEqual(['hardware', 'printer']);
    expect(replica.meta('nextMutationId')).toBe('1');
  });
});
