import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Contact } from '../../src-shared/domain/entities';
import { TICKET_PRIORITIES, type TicketPriority } from '../../src-shared/domain/enums';
import { closeDialog } from '../actions/dialog-actions';
import { jumpToTicket } from '../actions/list-actions';
import { createTicket } from '../actions/mutations';
import { loadContacts } from '../actions/ticket-actions';
import { fuzzyFilter } from '../lib/fuzzy';
import { PRIORITY_LABELS } from '../lib/format';
import { planNewTicket } from '../lib/new-ticket';
import { DialogFormEnd } from './dialog-form-end';
import { FOCUS_IDS, focusWhenReady } from './focus';
import { LabelledInput } from './labelled-input';
import { ModalDialog } from './modal-dialog';

/** Contacts a search shows in the select at most (a tenant may have thousands). */
const SHOWN_CONTACTS = 100;

const contactText = (c: Contact) => (c.email ? `${c.name} <${c.email}>` : c.name);

/**
 * `c`: a ticket on behalf of a contact, or of a new contact created with it, offline too: it
 * shows "number pending" until the service numbers it.
 */
export function NewTicketDialog() {
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [kind, setKind] = useState<'existing' | 'new'>('existing');
  const [find, setFind] = useState('');
  const [contactId, setContactId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState<TicketPriority>('normal');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void loadContacts().then((all) =>
      all
        ? setContacts(all)
        : setError('The contacts could not be read: create a new contact instead.'),
    );
  }, []);

  const matches = fuzzyFilter(find, contacts, contactText).slice(0, SHOWN_CONTACTS);
  // The contact chosen, or the best match of the search while none of them is.
  const chosen = matches.find((c) => c.id === contactId) ?? matches[0] ?? null;

  const submit = async () => {
    const plan = planNewTicket(
      {
        requester: kind === 'new' ? { kind, name, email } : { kind, contactId: chosen?.id ?? null },
        subject,
        description,
        priority,
      },
      () => crypto.randomUUID(),
    );
    if (!plan.ok) return setError(plan.message);
    setBusy(true);
    const problem = await createTicket(plan);
    setBusy(false);
    setError(problem);
    if (problem) return;
    closeDialog();
    jumpToTicket(plan.ticketId);
    focusWhenReady(FOCUS_IDS.pane);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) onSubmit(event);
  };

  return (
    <ModalDialog labelledBy="new-ticket-title" onClose={closeDialog}>
      <h2 id="new-ticket-title">New ticket</h2>
      <form className="dialog-form" onSubmit={onSubmit} onKeyDown={onKeyDown}>
        <fieldset className="scope-choice">
          <legend>Requester</legend>
          <label>
            <input
              type="radio"
              name="requester-kind"
              checked={kind === 'existing'}
              onChange={() => setKind('existing')}
            />
            A contact
          </label>
          <label>
            <input
              type="radio"
              name="requester-kind"
              checked={kind === 'new'}
              onChange={() => setKind('new')}
            />
            A new contact
          </label>
        </fieldset>
        {kind === 'existing' ? (
          <>
            <LabelledInput
              id="new-ticket-find"
              label="Find a contact"
              type="text"
              value={find}
              onChange={setFind}
              autoComplete="off"
              placeholder="Name or email…"
              autoFocus
            />
            <label htmlFor="new-ticket-contact">Contact</label>
            <select
              id="new-ticket-contact"
              value={chosen?.id ?? ''}
              onChange={(e) => setContactId(e.target.value)}
            >
              {matches.length === 0 && <option value="">No contact matches</option>}
              {matches.map((c) => (
                <option key={c.id} value={c.id}>
                  {contactText(c)}
                </option>
              ))}
            </select>
          </>
        ) : (
          <>
            <LabelledInput
              id="new-contact-name"
              label="Contact name"
              type="text"
              value={name}
              onChange={setName}
              autoComplete="off"
              autoFocus
            />
            <LabelledInput
              id="new-contact-email"
              label="Contact email"
              type="email"
              value={email}
              onChange={setEmail}
              autoComplete="off"
            />
          </>
        )}
        <LabelledInput
          id="new-ticket-subject"
          label="Subject"
          type="text"
          value={subject}
          onChange={setSubject}
          autoComplete="off"
        />
        <label htmlFor="new-ticket-description">Description</label>
        <textarea
          id="new-ticket-description"
          rows={4}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <label htmlFor="new-ticket-priority">Priority</label>
        <select
          id="new-ticket-priority"
          value={priority}
          onChange={(e) => setPriority(e.target.value as TicketPriority)}
        >
          {TICKET_PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {PRIORITY_LABELS[p]}
            </option>
          ))}
        </select>
        <DialogFormEnd error={error} submit="Create ticket" busy={busy} onCancel={closeDialog} />
      </form>
    </ModalDialog>
  );
}
