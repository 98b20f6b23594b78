import { describe, expect, it } from 'vitest';
import { Company, Contact, Preferences, Profile } from '../../../../src-shared/domain/entities';
import { namesField } from '../../../support/field-issues';
import { MemoryRows, runMutation } from '../../../support/memory-rows';
import {
  IDS,
  NOW,
  adminCtx,
  agentCtx,
  ok,
  rejected,
  company,
  preferences,
  profile,
  tenantRows,
} from '../../../support/mutator-fixtures';

describe('createContact', () => {
  it('creates a contact; empty or null optional fields are stored as null', () => {
    const rows = tenantRows();
    ok(
      runMutation(
        rows,
        'createContact',
        { id: IDS.fresh, name: ' Road Runner ', email: '', phone: null },
        agentCtx,
      ),
    );
    const created = rows.get('contact', IDS.fresh);
    expect(created).toEqual({
      id: IDS.fresh,
      name: 'Road Runner',
      email: null,
      phone: null,
      createdAt: NOW,
      updatedAt: NOW,
    });
    expect(Contact.safeParse(created).success).toBe(true);
  });

  it('keeps a given email and phone', () => {
    const rows = tenantRows();
    ok(
      runMutation(
        rows,
        'createContact',
        {
          id: IDS.fresh,
          name: 'Road Runner',
          email: ' beep@example.test ',
          phone: '+1 (555) 010-0200',
        },
        agentCtx,
      ),
    );
    expect(rows.get('contact', IDS.fresh)).toMatchObject({
      email: 'beep@example.test',
      phone: '+1 (555) 010-0200',
    });
  });

  it('rejects an existing id with already_exists', () => {
    const rows = tenantRows();
    const before = rows.snapshot();
    const outcome = rejected(
      runMutation(rows, 'createContact', { id: IDS.contact, name: 'Dup' }, agentCtx),
    );
    expect(outcome.code).toBe('already_exists');
    expect(rows.snapshot()).toEqual(before);
  });

  it.each([
    ['a bad email', { id: IDS.fresh, name: 'X', email: 'not-an-email' }, 'email'],
    ['a bad phone', { id: IDS.fresh, name: 'X', phone: 'call me' }, 'phone'],
    ['a blank name', { id: IDS.fresh, name: '  ' }, 'name'],
    ['an unknown field', { id: IDS.fresh, name: 'X', company: 'ACME' }, 'company'],
    ['an id that is not a UUID', { id: 'c-1', name: 'X' }, 'id'],
  ])('rejects %s with bad_request', (_what, args, path) => {
    const rows = tenantRows();
    const outcome = rejected(runMutation(rows, 'createContact', args, agentCtx));
    expect(outcome.code).toBe('bad_request');
    expect(namesField(outcome.details, path), JSON.stringify(outcome.details)).toBe(true);
    expect(rows.get('contact', IDS.fresh)).toBeNull();
  });
});

describe('updateProfile', () => {
  it('edits my profile and, for a new name, my public user row', () => {
    const rows = tenantRows();
    const outcome = ok(
      runMutation(
        rows,
        'updateProfile',
        { fields: { name: 'Agent Jones', title: 'Lead' } },
        agentCtx,
      ),
    );
    expect(outcome.writes.map((w) => w.entity)).toEqual(['profile', 'user']);
    const updated = rows.get('profile', IDS.agent);
    expect(updated).toEqual(profile({ name: 'Agent Jones', title: 'Lead', updatedAt: NOW }));
    expect(Profile.safeParse(updated).success).toBe(true);
    expect(rows.get('user', IDS.agent)!.name).toBe('Agent Jones');
  });

  it('leaves the user row alone when the name does not change', () => {
    const rows = tenantRows();
    const userBefore = rows.get('user', IDS.agent);
    const outcome = ok(
      runMutation(rows, 'updateProfile', { fields: { department: 'Field service' } }, agentCtx),
    );
    expect(outcome.writes.map((w) => w.entity)).toEqual(['profile']);
    expect(rows.get('user', IDS.agent)).toEqual(userBefore);
  });

  it('clears optional fields with an empty string or null', () => {
    const rows = tenantRows();
    ok(
      runMutation(
        rows,
        'updateProfile',
        { fields: { phone: '', title: null, department: '', fax: null } },
        agentCtx,
      ),
    );
    expect(rows.get('profile', IDS.agent)).toMatchObject({
      phone: null,
      title: null,
      department: null,
      fax: null,
    });
  });

  it('writes nothing when the values are already there', () => {
    const rows = tenantRows();
    const before = rows.snapshot();
    const outcome = ok(
      runMutation(
        rows,
        'updateProfile',
        { fields: { name: 'Agent Smith', fax: '+1 555 0199' } },
        agentCtx,
      ),
    );
    expect(outcome).toEqual({ ok: true, writes: [], conflicts: [] });
    expect(rows.snapshot()).toEqual(before);
  });

  it('edits only the signed-in user', () => {
    const rows = tenantRows();
    rows.put('profile', profile({ id: IDS.admin, name: 'Ada Admin', role: 'admin' }));
    ok(runMutation(rows, 'updateProfile', { fields: { name: 'Ada Lovelace' } }, adminCtx));
    expect(rows.get('profile', IDS.admin)!.name).toBe('Ada Lovelace');
    expect(rows.get('profile', IDS.agent)!.name).toBe('Agent Smith');
  });

  it('conflicts when the server moved away from base; clearing against a matching base works', () => {
    const rows = tenantRows(); // title 'Support agent', fax '+1 555 0199'
    const outcome = ok(
      runMutation(rows, 'updateProfile', { fields: { title: 'Mine', fax: '' } }, agentCtx, {
        title: 'Old title',
        fax: '+1 555 0199',
      }),
    );
    expect(outcome.conflicts).toEqual([{ field: 'title', server: 'Support agent', mine: 'Mine' }]);
    expect(rows.get('profile', IDS.agent)).toMatchObject({ title: 'Support agent', fax: null });
  });

  it('sees a cleared field (null) as the base of a later edit', () => {
    const rows = tenantRows();
    rows.put('profile', profile({ title: null }));
    const outcome = ok(
      runMutation(rows, 'updateProfile', { fields: { title: 'New' } }, agentCtx, { title: null }),
    );
    expect(outcome.conflicts).toEqual([]);
    expect(rows.get('profile', IDS.agent)!.title).toBe('New');
  });

  it('rejects a missing profile with not_found', () => {
    const rows = new MemoryRows();
    expect(
      rejected(runMutation(rows, 'updateProfile', { fields: { name: 'X' } }, agentCtx)).code,
    ).toBe('not_found');
  });

  it.each([
    ['no fields', { fields: {} }, 'fields'],
    [
      'an email change (goes through an online call)',
      { fields: { email: 'new@example.test' } },
      'fields.email',
    ],
    ['a role change', { fields: { role: 'admin' } }, 'fields.role'],
    ['a blank name', { fields: { name: ' ' } }, 'fields.name'],
    ['a name cleared with null', { fields: { name: null } }, 'fields.name'],
    ['a bad fax', { fields: { fax: 'fax me' } }, 'fields.fax'],
    ['an unknown top-level member', { fields: { name: 'X' }, userId: IDS.admin }, 'userId'],
  ])('rejects %s with bad_request', (_what, args, path) => {
    const rows = tenantRows();
    const before = rows.snapshot();
    const outcome = rejected(runMutation(rows, 'updateProfile', args, agentCtx));
    expect(outcome.code).toBe('bad_request');
    expect(namesField(outcome.details, path), JSON.stringify(outcome.details)).toBe(true);
    expect(rows.snapshot()).toEqual(before);
  });
});

describe('setCommunicationPreferences', () => {
  it('sets both preferences', () => {
    const rows = tenantRows();
    ok(
      runMutation(
        rows,
        'setCommunicationPreferences',
        { newsletter: true, productUpdates: false },
        agentCtx,
      ),
    );
    const saved = rows.get('preferences', IDS.agent);
    expect(saved).toEqual(preferences({ newsletter: true, productUpdates: false, updatedAt: NOW }));
    expect(Preferences.safeParse(saved).success).toBe(true);
  });

  it('starts from the defaults (newsletter off, product updates on) when there is no row yet', () => {
    const rows = new MemoryRows();
    const same = ok(
      runMutation(
        rows,
        'setCommunicationPreferences',
        { newsletter: false, productUpdates: true },
        agentCtx,
      ),
    );
    expect(same.writes).toEqual([]);
    ok(
      runMutation(
        rows,
        'setCommunicationPreferences',
        { newsletter: true, productUpdates: true },
        agentCtx,
      ),
    );
    expect(rows.get('preferences', IDS.agent)).toEqual({
      id: IDS.agent,
      newsletter: true,
      productUpdates: true,
      updatedAt: NOW,
    });
  });

  it('detects a conflict against base', () => {
    const rows = tenantRows();
    rows.put('preferences', preferences({ newsletter: true }));
    const outcome = ok(
      runMutation(
        rows,
        'setCommunicationPreferences',
        { newsletter: false, productUpdates: false },
        agentCtx,
        {
          newsletter: false,
          productUpdates: true,
        },
      ),
    );
    expect(outcome.conflicts).toEqual([{ field: 'newsletter', server: true, mine: false }]);
    expect(rows.get('preferences', IDS.agent)).toMatchObject({
      newsletter: true,
      productUpdates: false,
    });
  });

  it.each([
    [{ newsletter: true }],
    [{ newsletter: 'yes', productUpdates: true }],
    [{ newsletter: true, productUpdates: true, sms: true }],
  ])('rejects %j with bad_request', (args) => {
    expect(
      rejected(runMutation(tenantRows(), 'setCommunicationPreferences', args, agentCtx)).code,
    ).toBe('bad_request');
  });
});

describe('updateCompany', () => {
  it('lets an admin edit the company, seats included', () => {
    const rows = tenantRows();
    ok(runMutation(rows, 'updateCompany', { fields: { name: 'Acme Inc', seats: 12 } }, adminCtx));
    const saved = rows.get('company', IDS.tenant);
    expect(saved).toEqual(company({ name: 'Acme Inc', seats: 12, updatedAt: NOW }));
    expect(Company.safeParse(saved).success).toBe(true);
  });

  it('clears address, phone and website with an empty string or null', () => {
    const rows = tenantRows();
    ok(
      runMutation(
        rows,
        'updateCompany',
        { fields: { address: '', phone: null, website: '' } },
        adminCtx,
      ),
    );
    expect(rows.get('company', IDS.tenant)).toMatchObject({
      address: null,
      phone: null,
      website: null,
    });
  });

  it('is forbidden to agents, who change nothing', () => {
    const rows = tenantRows();
    const before = rows.snapshot();
    expect(
      rejected(runMutation(rows, 'updateCompany', { fields: { name: 'Mine now' } }, agentCtx)).code,
    ).toBe('forbidden');
    expect(rows.snapshot()).toEqual(before);
  });

  it('detects a conflict against base and writes the other fields', () => {
    const rows = tenantRows();
    const outcome = ok(
      runMutation(rows, 'updateCompany', { fields: { name: 'Mine', seats: 20 } }, adminCtx, {
        name: 'Acme Old',
        seats: 10,
      }),
    );
    expect(outcome.conflicts).toEqual([{ field: 'name', server: 'Acme', mine: 'Mine' }]);
    expect(rows.get('company', IDS.tenant)).toMatchObject({ name: 'Acme', seats: 20 });
  });

  it('rejects a missing company with not_found', () => {
    expect(
      rejected(runMutation(new MemoryRows(), 'updateCompany', { fields: { seats: 2 } }, adminCtx))
        .code,
    ).toBe('not_found');
  });

  it.each([
    [
      'a website that is not http(s)',
      { fields: { website: 'ftp://acme.example' } },
      'fields.website',
    ],
    ['zero seats', { fields: { seats: 0 } }, 'fields.seats'],
    ['fractional seats', { fields: { seats: 1.5 } }, 'fields.seats'],
    ['a slug change', { fields: { slug: 'mine' } }, 'fields.slug'],
    ['billing details', { fields: { cardNumber: '4111111111111111' } }, 'fields.cardNumber'],
    ['no fields', { fields: {} }, 'fields'],
  ])('rejects %s with bad_request', (_what, args, path) => {
    const outcome = rejected(runMutation(tenantRows(), 'updateCompany', args, adminCtx));
    expect(outcome.code).toBe('bad_request');
    expect(namesField(outcome.details, path), JSON.stringify(outcome.details)).toBe(true);
  });
});
