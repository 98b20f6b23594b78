import { describe, expect, it } from 'vitest';
import { UpdateCompanyArgs, UpdateProfileArgs } from '../../../../src-shared/mutators/args';
import { COMPANY_FIELDS, PROFILE_FIELDS } from '../../../../src-renderer/lib/account-fields';
import {
  changedFields,
  changesProblem,
  shownValue,
} from '../../../../src-renderer/lib/record-form';

const profile = {
  name: 'Agent 1',
  phone: null,
  title: 'Support agent',
  department: 'Customer support',
  fax: '+1 555 0100',
};
const company = {
  name: 'Acme',
  address: null,
  phone: null,
  website: 'https://acme.test',
  seats: 25,
};

describe('changedFields', () => {
  it('sends only the edited fields whose value differs, trimmed', () => {
    expect(
      changedFields(PROFILE_FIELDS, profile, {
        phone: ' +1 555 0199 ',
        title: 'Support agent',
        department: ' Customer support ',
      }),
    ).toEqual({ phone: '+1 555 0199' });
    expect(changedFields(PROFILE_FIELDS, profile, {})).toEqual({});
  });

  it('turns an emptied optional field into null (remove) and keeps an emptied required one', () => {
    expect(changedFields(PROFILE_FIELDS, profile, { fax: '  ', name: '' })).toEqual({
      fax: null,
      name: '',
    });
    expect(changedFields(PROFILE_FIELDS, profile, { phone: '' })).toEqual({});
  });

  it('reads a number field as a number', () => {
    expect(changedFields(COMPANY_FIELDS, company, { seats: '30' })).toEqual({ seats: 30 });
    expect(changedFields(COMPANY_FIELDS, company, { seats: '25' })).toEqual({});
    expect(changedFields(COMPANY_FIELDS, company, { seats: '' }).seats).toBeNaN();
  });
});

describe('changesProblem', () => {
  it('accepts what the mutation accepts', () => {
    expect(changesProblem(UpdateProfileArgs, PROFILE_FIELDS, { phone: '+1 (555) 0199' })).toBe(
      null,
    );
    expect(changesProblem(UpdateProfileArgs, PROFILE_FIELDS, { fax: null })).toBe(null);
    expect(changesProblem(UpdateCompanyArgs, COMPANY_FIELDS, { seats: 40 })).toBe(null);
  });

  it('names the field and the rule in words', () => {
    expect(changesProblem(UpdateProfileArgs, PROFILE_FIELDS, { phone: 'call me' })).toBe(
      'Phone may hold only digits, spaces and + ( ) . / - x.',
    );
    expect(changesProblem(UpdateProfileArgs, PROFILE_FIELDS, { name: '' })).toBe(
      'Name must not be empty.',
    );
    expect(changesProblem(UpdateProfileArgs, PROFILE_FIELDS, { title: 'x'.repeat(121) })).toBe(
      'Title may be at most 120 characters.',
    );
    expect(changesProblem(UpdateCompanyArgs, COMPANY_FIELDS, { website: 'acme.test' })).toBe(
      'Website must be an http(s) URL.',
    );
  });

  it("uses a field's own words where the schema's would not do", () => {
    for (const seats of [Number.NaN, 0, 2.5, 100_001]) {
      expect(changesProblem(UpdateCompanyArgs, COMPANY_FIELDS, { seats })).toBe(
        'Seats must be a whole number from 1 to 100,000.',
      );
    }
  });
});

describe('shownValue', () => {
  it('shows an absent value as an empty box', () => {
    expect(shownValue(null)).toBe('');
    expect(shownValue(undefined)).toBe('');
    expect(shownValue(25)).toBe('25');
  });
});
