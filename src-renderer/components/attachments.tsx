import { useState } from 'react';
import type { TicketDetail } from '../../src-shared/bridge/contract';
import { fetchAttachment } from '../actions/attachment-actions';
import { base64ToBytes } from '../lib/base64';
import type { BridgeFailure } from '../lib/bridge-error';
import { formatBytes, isOffline } from '../lib/format';
import { useApp } from '../state/store';
import { FOCUS_IDS } from './focus';
import { saveFile } from './save-file';

type Attachment = TicketDetail['attachments'][number];

const NOT_OFFLINE = 'Not available offline';

function failureText(failure: BridgeFailure): string {
  switch (failure.code) {
    case 'offline_unavailable':
      return `${NOT_OFFLINE}: connect to the service to download it once, then it opens offline too.`;
    case 'payload_too_large':
      return 'This file is too large to open here.';
    case 'attachment_corrupt':
      return 'The file arrived damaged and was not kept; try again.';
    case 'not_found':
      return 'This file is no longer on the service.';
    default:
      return failure.message;
  }
}

function AttachmentItem({ attachment, first }: { attachment: Attachment; first: boolean }) {
  const offline = useApp((s) => (s.sync ? isOffline(s.sync.status) : false));
  const [failure, setFailure] = useState<BridgeFailure | null>(null);
  const [busy, setBusy] = useState(false);

  const download = async () => {
    setBusy(true);
    const result = await fetchAttachment(attachment.id);
    setBusy(false);
    setFailure(result.failure);
    // Saved as a file, never shown in the page: its content runs nothing here.
    if (result.file)
      saveFile(result.file.name, base64ToBytes(result.file.dataBase64), result.file.contentType);
  };

  const unavailable = !attachment.cached && (offline || failure?.code === 'offline_unavailable');
  const state = attachment.cached
    ? 'On this computer'
    : unavailable
      ? NOT_OFFLINE
      : 'Downloads from the service';
  return (
    <li className={unavailable ? 'attachment unavailable' : 'attachment'}>
      <button
        type="button"
        className="link-button"
        id={first ? FOCUS_IDS.attachments : undefined}
        aria-keyshortcuts={first ? 'f' : undefined}
        aria-describedby={`attachment-state-${attachment.id}`}
        disabled={busy}
        onClick={() => void download()}
      >
        <span className="visually-hidden">Download </span>
        {attachment.name}
      </button>
      <span className="attachment-size">{formatBytes(attachment.size)}</span>
      <span id={`attachment-state-${attachment.id}`} className="attachment-state">
        {state}
      </span>
      {failure && (
        <p role="alert" className="error inline">
          {failureText(failure)}
        </p>
      )}
    </li>
  );
}

/** The ticket's files, by name and size (their metadata syncs); content is fetched on demand. */
export function Attachments({ attachments }: { attachments: Attachment[] }) {
  if (attachments.length === 0) return null;
  return (
    <section className="attachments" aria-labelledby="attachments-title">
      <h3 id="attachments-title">Attachments</h3>
      <ul aria-labelledby="attachments-title">
        {attachments.map((attachment, i) => (
          <AttachmentItem key={attachment.id} attachment={attachment} first={i === 0} />
        ))}
      </ul>
    </section>
  );
}
