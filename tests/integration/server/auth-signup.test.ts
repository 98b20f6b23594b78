import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change } from '../../../src-shared/protocol/sync';
import type { ApiResponse } from '../../support/api-client';
import { serviceSql } from '../../support/service-db';
import { startTestServer, type TestServer } from '../../support/test-server';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const PASSWORD = 'signup-password-1';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ demo: true });
});
afterAll(async () => {
  await t?.close();
});

let serial = 0;
/** A valid sign-up body with only the required members; company names are unique per call. */
function minimalBody(companyName = `Test Company ${++serial}`) {
  return {
    company: { name: companyName },
    user: { name: 'Pat Owner', email: `owner${serial}@signup.test`, password: PASSWORD },
    seats: 5,
  };
}

function signup(body: unknown): Promise<ApiResponse> {
  return t.api.call('POST', '/api/v1/auth/signup', { body });
}

/** Row counts read over a separate connection to the service's database: what was (not) written. */
async function counts(): Promise<Record<'tenants' | 'users' | 'records' | 'sessions', number>> {
  const [row] = await serviceSql<Record<string, number | string>>(
    t,
    `SELECT (SELECT count(*) FROM tenants) AS tenants, (SELECT count(*) FROM users) AS users,
            (SELECT count(*) FROM records) AS records, (SELECT count(*) FROM sessions) AS sessions`,
  );
  return {
    tenants: Number(row!.tenants),
    users: Number(row!.users),
    records: Number(row!.records),
    sessions: Number(row!.sessions),
  };
}

/** Logs in as the new admin and returns their snapshot, keyed by entity. */
async function snapshotAs(slug: string, email: string, password = PASSWORD) {
  const session = await t.api.session(slug, email, password);
  const changes: Change[] = (await session.pullAll()).flatMap((page) => page.changes);
  const one = (entity: string) => {
    const found = changes.filter((c) => c.entity === entity);
    expect(found, `exactly one ${entity}`).toHaveLength(1);
    return (found[0] as { data: Record<string, unknown> }).data;
  };
  return {
    changes,
    session,
    profile: one('profile'),
    company: one('company'),
    preferences: one('preferences'),
  };
}

describe('POST /api/v1/auth/signup: success', () => {
  it('answers 201 with exactly {tenant: {id, slug, name}, user: {id, email, role: "admin"}}', async () => {
    const before = await counts();
    const response = await signup({
      company: { name: 'Northwind Traders' },
      user: { name: 'Nancy Davolio', email: 'nancy@northwind.test', password: PASSWORD },
      seats: 12,
    });
    expect(response.status).toBe(201);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['x-request-id']).toBeTruthy();
    const body = response.body;
    expect(Object.keys(body).sort()).toEqual(['tenant', 'user']);
    expect(Object.keys(body.tenant).sort()).toEqual(['id', 'name', 'slug']);
    expect(Object.keys(body.user).sort()).toEqual(['email', 'id', 'role']);
    expect(body).toEqual({
      tenant: {
        id: expect.stringMatching(UUID),
        slug: 'northwind-traders',
        name: 'Northwind Traders',
      },
      user: { id: expect.stringMatching(UUID), email: 'nancy@northwind.test', role: 'admin' },
    });
    expect(body.user.id).not.toBe(body.tenant.id);
    const after = await counts();
    expect(after.tenants).toBe(before.tenants + 1);
    expect(after.users).toBe(before.users + 1);

    // The new admin signs in to the new tenant, and the ids agree.
    const login = await t.api.login('northwind-traders', 'nancy@northwind.test', PASSWORD);
    expect(login.tenant).toEqual(body.tenant);
    expect(login.user).toEqual({
      id: body.user.id,
      name: 'Nancy Davolio',
      email: 'nancy@northwind.test',
      role: 'admin',
    });
  });

  it('derives the slug from the company name and makes it unique', async () => {
    const first = await signup(minimalBody('Zebra Logistics & Co.'));
    const second = await signup(minimalBody('Zebra Logistics & Co.'));
    const third = await signup(minimalBody('ZEBRA logistics, co'));
    expect([first.status, second.status, third.status]).toEqual([201, 201, 201]);
    expect(first.body.tenant.slug).toBe('zebra-logistics-co');
    expect(second.body.tenant.slug).not.toBe(first.body.tenant.slug);
    expect(second.body.tenant.slug).toBe('zebra-logistics-co-2');
    expect(third.body.tenant.slug).toBe('zebra-logistics-co-3');
    expect(new Set([first.body.tenant.id, second.body.tenant.id, third.body.tenant.id]).size).toBe(
      3,
    );
    // Each admin signs in to their own tenant.
    for (const r of [first, second, third]) {
      const login = await t.api.login(r.body.tenant.slug, r.body.user.email, PASSWORD);
      expect(login.tenant.id).toBe(r.body.tenant.id);
      expect(login.user.id).toBe(r.body.user.id);
    }
  });

  it('gives concurrent sign-ups of one company name distinct slugs', async () => {
    const responses = await Promise.all(
      [1, 2, 3].map(() => signup(minimalBody('Racing Start-Up'))),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201]);
    const slugs = responses.map((r) => r.body.tenant.slug as string).sort();
    expect(slugs).toEqual(['racing-start-up', 'racing-start-up-2', 'racing-start-up-3']);
  });

  it('does not take the slug of an existing (demo) tenant', async () => {
    const response = await signup(minimalBody('ACME'));
    expect(response.status).toBe(201);
    expect(response.body.tenant.slug).toBe('acme-2');
    // The demo tenant is untouched: its admin still lands in it.
    const demo = await t.api.login('acme', 'admin@acme.test');
    expect(demo.tenant.name).toBe('Acme Field Services');
    expect(demo.tenant.id).not.toBe(response.body.tenant.id);
  });

  it.each([
    ['Café Élan Über', 'cafe-elan-uber'],
    ['  --Spaces   and   dashes--  ', 'spaces-and-dashes'],
    ['***', 'company'],
    ['東京', 'company'],
    ['A'.repeat(30) + ' ' + 'B'.repeat(30), 'a'.repeat(30) + '-' + 'b'.repeat(9)],
  ])('slugs %j as %j', async (name, slug) => {
    const response = await signup(minimalBody(name));
    expect(response.status).toBe(201);
    const got: string = response.body.tenant.slug;
    expect(got).toMatch(SLUG);
    expect(got.length).toBeLessThanOrEqual(43);
    // "company" may already be taken by an earlier case: then it gets a suffix.
    expect(got === slug || got.startsWith(`${slug}-`)).toBe(true);
    expect(response.body.tenant.name).toBe(name.trim());
  });

  it('stores omitted optional fields as null, newsletter off and product updates on', async () => {
    const body = minimalBody('Omitted Optionals Ltd');
    const response = await signup(body);
    expect(response.status).toBe(201);
    const { profile, company, preferences, changes } = await snapshotAs(
      response.body.tenant.slug,
      body.user.email,
    );
    expect(profile).toMatchObject({
      id: response.body.user.id,
      name: 'Pat Owner',
      email: body.user.email,
      role: 'admin',
      title: null,
      department: null,
      fax: null,
      phone: null,
    });
    expect(company).toMatchObject({
      id: response.body.tenant.id,
      slug: 'omitted-optionals-ltd',
      name: 'Omitted Optionals Ltd',
      address: null,
      phone: null,
      website: null,
      seats: 5,
    });
    expect(preferences).toMatchObject({
      id: response.body.user.id,
      newsletter: false,
      productUpdates: true,
    });
    // A new tenant holds only its own company, admin and their private rows.
    expect(changes.map((c) => c.entity).sort()).toEqual([
      'company',
      'preferences',
      'profile',
      'user',
    ]);
    // Nothing that looks like card data is anywhere in what the tenant syncs.
    expect(JSON.stringify(changes)).not.toMatch(/card|billing|payment/i);
  });

  it('stores every optional field when given, and the newsletter when asked for', async () => {
    const response = await signup({
      company: {
        name: 'Full Fields GmbH',
        address: '1 Long Road, Springfield',
        phone: '+49 (30) 123-456',
        website: 'https://full-fields.test/about',
      },
      user: {
        name: 'Frieda Full',
        email: 'frieda@full.test',
        password: PASSWORD,
        phone: '+49 30 555 0101',
        title: 'Head of Support',
        department: 'Customer Care',
        fax: '+49 30 555 0102',
      },
      seats: 40,
      newsletter: true,
    });
    expect(response.status).toBe(201);
    const { profile, company, preferences } = await snapshotAs(
      response.body.tenant.slug,
      'frieda@full.test',
    );
    expect(profile).toMatchObject({
      name: 'Frieda Full',
      phone: '+49 30 555 0101',
      title: 'Head of Support',
      department: 'Customer Care',
      fax: '+49 30 555 0102',
    });
    expect(company).toMatchObject({
      name: 'Full Fields GmbH',
      address: '1 Long Road, Springfield',
      phone: '+49 (30) 123-456',
      website: 'https://full-fields.test/about',
      seats: 40,
    });
    expect(preferences).toMatchObject({ newsletter: true, productUpdates: true });
  });

  it('treats empty optional fields as absent and an explicit newsletter: false as off', async () => {
    const response = await signup({
      company: { name: 'Empty Strings Inc', address: '', phone: '', website: '' },
      user: {
        name: 'Erin Empty',
        email: 'erin@empty.test',
        password: PASSWORD,
        phone: '',
        title: '',
        department: '',
        fax: '',
      },
      seats: 1,
      newsletter: false,
    });
    expect(response.status).toBe(201);
    const { profile, company, preferences } = await snapshotAs(
      response.body.tenant.slug,
      'erin@empty.test',
    );
    expect(profile).toMatchObject({ phone: null, title: null, department: null, fax: null });
    expect(company).toMatchObject({ address: null, phone: null, website: null, seats: 1 });
    expect(preferences).toMatchObject({ newsletter: false, productUpdates: true });
  });

  it('lets one email address sign up two different tenants, each with its own password', async () => {
    const a = await signup({
      company: { name: 'Twin One' },
      user: { name: 'Sam Same', email: 'same@person.test', password: 'first-tenant-pass' },
      seats: 2,
    });
    const b = await signup({
      company: { name: 'Twin Two' },
      user: { name: 'Sam Same', email: 'SAME@person.test', password: 'second-tenant-pass' },
      seats: 2,
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.tenant.id).not.toBe(b.body.tenant.id);
    expect(a.body.user.id).not.toBe(b.body.user.id);
    const loginA = await t.api.login('twin-one', 'same@person.test', 'first-tenant-pass');
    const loginB = await t.api.login('twin-two', 'same@person.test', 'second-tenant-pass');
    expect(loginA.user.id).toBe(a.body.user.id);
    expect(loginB.user.id).toBe(b.body.user.id);
    // The passwords belong to their tenant: the other one does not open it.
    const cross = await t.api.call('POST', '/api/v1/auth/login', {
      body: { tenant: 'twin-one', email: 'same@person.test', password: 'second-tenant-pass' },
    });
    expect(cross.status).toBe(401);
  });

  it('trims the email and compares it without case at log-in', async () => {
    const response = await signup({
      company: { name: 'Case Study Co' },
      user: { name: 'Casey', email: '  Casey.Mixed@Example.TEST ', password: PASSWORD },
      seats: 3,
    });
    expect(response.status).toBe(201);
    expect(response.body.user.email.trim()).toBe(response.body.user.email);
    const login = await t.api.login('case-study-co', 'casey.mixed@example.test', PASSWORD);
    expect(login.user.id).toBe(response.body.user.id);
  });
});

describe('POST /api/v1/auth/signup: invalid requests write nothing', () => {
  type Body = ReturnType<typeof minimalBody>;
  const cases: Array<[string, (b: Body) => unknown, string[]]> = [
    ['no company', ({ company: _c, ...rest }) => rest, ['company']],
    ['no user', ({ user: _u, ...rest }) => rest, ['user']],
    ['no seats', ({ seats: _s, ...rest }) => rest, ['seats']],
    ['no company name', (b) => ({ ...b, company: {} }), ['company.name']],
    ['a blank company name', (b) => ({ ...b, company: { name: '   ' } }), ['company.name']],
    [
      'no user name',
      (b) => ({ ...b, user: { email: b.user.email, password: PASSWORD } }),
      ['user.name'],
    ],
    ['no email', (b) => ({ ...b, user: { name: 'X', password: PASSWORD } }), ['user.email']],
    ['no password', (b) => ({ ...b, user: { name: 'X', email: b.user.email } }), ['user.password']],
    ['seats as a string', (b) => ({ ...b, seats: '5' }), ['seats']],
    ['zero seats', (b) => ({ ...b, seats: 0 }), ['seats']],
    ['fractional seats', (b) => ({ ...b, seats: 2.5 }), ['seats']],
    ['too many seats', (b) => ({ ...b, seats: 100_001 }), ['seats']],
    [
      'a 121-character company name',
      (b) => ({ ...b, company: { name: 'n'.repeat(121) } }),
      ['company.name'],
    ],
    ['newsletter as a string', (b) => ({ ...b, newsletter: 'yes' }), ['newsletter']],
    ['company as a string', (b) => ({ ...b, company: 'Acme' }), ['company']],
    ['user as null', (b) => ({ ...b, user: null }), ['user']],
    ['email as a number', (b) => ({ ...b, user: { ...b.user, email: 12345 } }), ['user.email']],
    [
      'password as a number',
      (b) => ({ ...b, user: { ...b.user, password: 1234567890123 } }),
      ['user.password'],
    ],
    [
      'a 9-character password',
      (b) => ({ ...b, user: { ...b.user, password: 'nine-char' } }),
      ['user.password'],
    ],
    [
      'an invalid email',
      (b) => ({ ...b, user: { ...b.user, email: 'not-an-email' } }),
      ['user.email'],
    ],
    [
      'an email without domain',
      (b) => ({ ...b, user: { ...b.user, email: 'someone@' } }),
      ['user.email'],
    ],
    [
      'a non-http website',
      (b) => ({ ...b, company: { ...b.company, website: 'ftp://x.test' } }),
      ['company.website'],
    ],
    [
      'a phone with letters',
      (b) => ({ ...b, user: { ...b.user, phone: 'call me maybe' } }),
      ['user.phone'],
    ],
    ['a title as a number', (b) => ({ ...b, user: { ...b.user, title: 7 } }), ['user.title']],
    [
      'several bad fields at once',
      (b) => ({ ...b, seats: -1, user: { ...b.user, email: 'x', password: 'short' } }),
      ['seats', 'user.email', 'user.password'],
    ],
  ];

  it.each(cases)(
    'rejects %s with 400 bad_request naming the field',
    async (_label, mutate, paths) => {
      const body = minimalBody();
      const before = await counts();
      const response = await signup(mutate(body));
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('bad_request');
      expect(typeof response.body.error.message).toBe('string');
      const detailPaths = (response.body.error.details as Array<{ path: string }>).map(
        (d) => d.path,
      );
      for (const path of paths) expect(detailPaths).toContain(path);
      expect(await counts()).toEqual(before);
      expect(await t.server.storage.slugExists(`test-company-${serial}`)).toBe(false);
    },
  );

  const unknownFields: Array<[string, (b: Body) => unknown, string, string]> = [
    [
      'creditCard at the top level',
      (b) => ({ ...b, creditCard: '4111111111111111' }),
      '(root)',
      'creditCard',
    ],
    [
      'cardNumber in company',
      (b) => ({ ...b, company: { ...b.company, cardNumber: '4111111111111111' } }),
      'company',
      'cardNumber',
    ],
    [
      'creditCard in user',
      (b) => ({ ...b, user: { ...b.user, creditCard: '4111111111111111' } }),
      'user',
      'creditCard',
    ],
    [
      'a billing object',
      (b) => ({ ...b, billing: { cardNumber: '4111111111111111', cvc: '123', expiry: '12/30' } }),
      '(root)',
      'billing',
    ],
    ['an unknown role', (b) => ({ ...b, user: { ...b.user, role: 'agent' } }), 'user', 'role'],
  ];

  it.each(unknownFields)(
    'rejects %s (unknown field) with details naming it',
    async (_label, mutate, path, field) => {
      const body = minimalBody();
      const before = await counts();
      const response = await signup(mutate(body));
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('bad_request');
      const details = response.body.error.details as Array<{ path: string; message: string }>;
      const naming = details.filter(
        (d) => d.path === field || d.path.endsWith(`.${field}`) || d.message.includes(field),
      );
      expect(naming.length).toBeGreaterThan(0);
      expect(
        naming.some(
          (d) => d.path === path || d.path === (path === '(root)' ? field : `${path}.${field}`),
        ),
      ).toBe(true);
      // The card number is not echoed back.
      expect(JSON.stringify(response.body)).not.toContain('4111111111111111');
      expect(await counts()).toEqual(before);
      expect(await t.server.storage.slugExists(`test-company-${serial}`)).toBe(false);
    },
  );

  it.each([
    ['a body that is not JSON', { rawBody: '{"company": ' }],
    ['a JSON array', { body: [minimalBody()] }],
    ['a JSON string', { body: 'signup' }],
    ['an empty object', { body: {} }],
    [
      'text/plain',
      { rawBody: JSON.stringify(minimalBody()), headers: { 'content-type': 'text/plain' } },
    ],
  ])('rejects %s with 400 bad_request', async (_label, options) => {
    const before = await counts();
    const response = await t.api.call('POST', '/api/v1/auth/signup', options);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('bad_request');
    expect(await counts()).toEqual(before);
  });

  it('still accepts the same body once it is fixed (the failed attempt reserved nothing)', async () => {
    const body = minimalBody('Second Try Ltd');
    const bad = await signup({ ...body, creditCard: '4111111111111111' });
    expect(bad.status).toBe(400);
    expect(await t.server.storage.slugExists('second-try-ltd')).toBe(false);
    const good = await signup(body);
    expect(good.status).toBe(201);
    expect(good.body.tenant.slug).toBe('second-try-ltd');
  });
});
