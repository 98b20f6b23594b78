import type { Contact } from '../../src-shared/domain/entities';

export function RequesterCard({ requester }: { requester: Contact | null }) {
  return (
    <section className="requester" aria-label="Requester">
      <h3>Requester</h3>
      {requester ? (
        <dl>
          <dt className="visually-hidden">Name</dt>
          <dd className="requester-name">{requester.name}</dd>
          <dt className="visually-hidden">Email</dt>
          <dd>{requester.email ?? 'No email'}</dd>
          {requester.phone && (
            <>
              <dt className="visually-hidden">Phone</dt>
              <dd>{requester.phone}</dd>
            </>
          )}
        </dl>
      ) : (
        <p>Not known on this computer yet.</p>
      )}
    </section>
  );
}
