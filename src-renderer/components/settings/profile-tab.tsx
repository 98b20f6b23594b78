import { useState } from 'react';
import { UpdateProfileArgs } from '../../../src-shared/mutators/args';
import type { MutationArgs } from '../../../src-shared/mutators/registry';
import { updateProfile } from '../../actions/mutations';
import { PROFILE_CONFIRMED, PROFILE_FIELDS } from '../../lib/account-fields';
import { useApp } from '../../state/store';
import { focusElement } from '../focus';
import { AccountRecord } from './account-record';
import { ChangeEmailDialog } from './change-email-dialog';
import { ConfirmedCopy } from './confirmed-copy';
import { OfflineHint } from './offline-hint';
import { RecordForm } from './record-form';

const CHANGE_EMAIL_BUTTON = 'profile-change-email';

/** "My Company Settings": the user's own profile, edited offline too, and the service's copy. */
export function ProfileTab() {
  const profile = useApp((s) => s.profile);
  const [changingEmail, setChangingEmail] = useState(false);
  const closeDialog = () => {
    setChangingEmail(false);
    focusElement(CHANGE_EMAIL_BUTTON);
  };

  return (
    <>
      <h2>Profile</h2>
      <p className="hint">
        How your company and the service know you. Phone, title, department and fax are optional:
        leave them empty or remove them.
      </p>
      <OfflineHint />
      <AccountRecord record={profile} what="Your profile">
        {({ current, confirmed, pendingFields }) => (
          <>
            <RecordForm
              label="Profile"
              idPrefix="profile"
              specs={PROFILE_FIELDS}
              record={{ current, pendingFields }}
              schema={UpdateProfileArgs}
              // Checked against UpdateProfileArgs by the form before it comes here.
              save={(fields) => updateProfile(fields as MutationArgs<'updateProfile'>['fields'])}
              saveLabel="Save profile"
            >
              <div className="record-row">
                <label htmlFor="profile-email">Email</label>
                <input id="profile-email" type="email" value={current.email} readOnly />
                <button
                  id={CHANGE_EMAIL_BUTTON}
                  type="button"
                  className="small"
                  onClick={() => setChangingEmail(true)}
                >
                  Change email
                </button>
              </div>
            </RecordForm>
            <ConfirmedCopy idPrefix="profile" fields={PROFILE_CONFIRMED} confirmed={confirmed} />
            {changingEmail && (
              <ChangeEmailDialog currentEmail={current.email} onClose={closeDialog} />
            )}
          </>
        )}
      </AccountRecord>
    </>
  );
}
