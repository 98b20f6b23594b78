import { UpdateCompanyArgs } from '../../../src-shared/mutators/args';
import type { MutationArgs } from '../../../src-shared/mutators/registry';
import { updateCompany } from '../../actions/mutations';
import { COMPANY_FIELDS } from '../../lib/account-fields';
import { BILLING_PORTAL_URL } from '../../lib/billing';
import { useApp } from '../../state/store';
import { AccountRecord } from './account-record';
import { ConfirmedCopy } from './confirmed-copy';
import { OfflineHint } from './offline-hint';
import { RecordForm } from './record-form';
import { ValueList } from './value-list';

/** The company's settings: admins edit them (offline too), agents read them. Billing is elsewhere. */
export function CompanyTab() {
  const company = useApp((s) => s.company);
  const isAdmin = useApp((s) => (s.profile?.current.role ?? s.session?.user.role) === 'admin');

  return (
    <>
      <h2>Company</h2>
      {isAdmin && <OfflineHint />}
      <AccountRecord record={company} what="Your company's settings">
        {({ current, confirmed, pendingFields }) =>
          isAdmin ? (
            <>
              <RecordForm
                label="Company"
                idPrefix="company"
                specs={COMPANY_FIELDS}
                record={{ current, pendingFields }}
                schema={UpdateCompanyArgs}
                // Checked against UpdateCompanyArgs by the form before it comes here.
                save={(fields) => updateCompany(fields as MutationArgs<'updateCompany'>['fields'])}
                saveLabel="Save company"
              />
              <ConfirmedCopy idPrefix="company" fields={COMPANY_FIELDS} confirmed={confirmed} />
            </>
          ) : (
            <>
              <ValueList
                // Seats are sent to admins only.
                fields={COMPANY_FIELDS.filter((field) => current[field.key] !== undefined)}
                record={current}
              />
              <p className="hint">Only admins can change company settings.</p>
            </>
          )
        }
      </AccountRecord>
      <section className="billing" aria-labelledby="billing-title">
        <h3 id="billing-title">Billing</h3>
        <p>
          Billing is handled by our payment processor. This app never asks for or stores card
          details.
        </p>
        <a href={BILLING_PORTAL_URL} target="_blank" rel="noreferrer">
          Manage billing
        </a>
      </section>
    </>
  );
}
