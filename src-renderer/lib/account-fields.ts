import type { Company, Profile } from '../../src-shared/domain/entities';
import type { FieldSpec } from './record-form';

/** The fields of "My Company Settings": the user's profile and the company (admins edit it). */

export type ProfileField = keyof Pick<Profile, 'name' | 'phone' | 'title' | 'department' | 'fax'>;
export type CompanyField = keyof Pick<Company, 'name' | 'address' | 'phone' | 'website' | 'seats'>;

export const PROFILE_FIELDS: readonly FieldSpec<ProfileField>[] = [
  { key: 'name', label: 'Name', optional: false, type: 'text', autoComplete: 'name' },
  { key: 'phone', label: 'Phone', optional: true, type: 'tel', autoComplete: 'tel' },
  {
    key: 'title',
    label: 'Title',
    optional: true,
    type: 'text',
    autoComplete: 'organization-title',
  },
  { key: 'department', label: 'Department', optional: true, type: 'text', autoComplete: 'off' },
  { key: 'fax', label: 'Fax', optional: true, type: 'tel', autoComplete: 'fax tel' },
];

export const COMPANY_FIELDS: readonly FieldSpec<CompanyField>[] = [
  {
    key: 'name',
    label: 'Company name',
    optional: false,
    type: 'text',
    autoComplete: 'organization',
  },
  {
    key: 'address',
    label: 'Address',
    optional: true,
    type: 'text',
    autoComplete: 'street-address',
  },
  { key: 'phone', label: 'Phone', optional: true, type: 'tel', autoComplete: 'tel' },
  { key: 'website', label: 'Website', optional: true, type: 'url', autoComplete: 'url' },
  {
    key: 'seats',
    label: 'Seats',
    optional: false,
    type: 'number',
    autoComplete: 'off',
    invalid: 'Seats must be a whole number from 1 to 100,000.',
  },
];

/** What "Confirmed by the service" lists: every field of the record, by label. */
export interface ShownField<K extends string> {
  key: K;
  label: string;
}

export const PROFILE_CONFIRMED: readonly ShownField<ProfileField | 'email'>[] = [
  { key: 'name', label: 'Name' },
  { key: 'email', label: 'Email' },
  ...PROFILE_FIELDS.slice(1),
];

/** The communication preferences, as the seed words them. */
export const PREFERENCE_FIELDS = [
  { key: 'newsletter', label: 'Newsletter', hint: 'Off until you opt in.' },
  {
    key: 'productUpdates',
    label: 'Product and company news',
    hint: 'You can opt out at any time.',
  },
] as const;
