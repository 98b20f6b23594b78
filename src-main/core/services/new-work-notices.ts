import type { NeedsAttentionItem } from '../../../src-shared/bridge/contract';
import type { NewWorkNotice } from '../../../src-shared/bridge/new-work';
import type { SyncStatus } from '../../../src-shared/bridge/sync-status';
import type { TicketSummary } from '../../../src-shared/bridge/ticket-query';
import { BridgeError } from './bridge-error';
import type { HelpdeskService } from './helpdesk-service';

/** What one check saw. */
export interface WorkView {
  /** Not connecting nor in the initial sync: the replica holds what the service has. */
  settled: boolean;
  /** The most recently updated tickets assigned to me. */
  mine: readonly Pick<
    TicketSummary,
    'id' | 'number' | 'subject' | 'pending' | 'lastCustomerReplyAt'
  >[];
  /** `mine` holds every ticket assigned to me (the page was not cut by its limit). */
  mineComplete: boolean;
  attention: readonly Pick<NeedsAttentionItem, 'id' | 'kind' | 'entity' | 'entityId'>[];
}

/** What earlier checks saw, to tell what is new. */
export interface KnownWork {
  settled: boolean;
  mine: ReadonlySet<string>;
  /** When the requester of each of my tickets last wrote, as last seen. */
  customerReplies: ReadonlyMap<string, string>;
  attention: ReadonlySet<number>;
}

/**
 * New since the last check: tickets assigned to me that were not, tickets of mine whose requester
 * wrote again (only a pull brings their comments), and needs-attention items that were not there. The first check, and any check from or to a replica still filling up (sign-in,
 * first sync after start), only records a baseline: no storm of notices for the whole backlog.
 * A ticket with local changes (`pending`) is one I just touched here, such as assigning it to
 * myself: it is known from then on and never announced.
 */
export function diffWork(
  known: KnownWork | null,
  view: WorkView,
): { notices: NewWorkNotice[]; known: KnownWork } {
  const mineIds = view.mine.map((ticket) => ticket.id);
  // A cut page cannot tell an unassigned ticket from one beyond the limit: keep what was known.
  const nextMine = new Set(view.mineComplete ? mineIds : [...(known?.mine ?? []), ...mineIds]);
  const replies = view.mine.map((ticket) => [ticket.id, ticket.lastCustomerReplyAt] as const);
  const next: KnownWork = {
    settled: view.settled,
    mine: nextMine,
    customerReplies: new Map(
      view.mineComplete ? replies : [...(known?.customerReplies ?? []), ...replies],
    ),
    attention: new Set(view.attention.map((item) => item.id)),
  };
  if (!known || !known.settled || !view.settled) return { notices: [], known: next };
  const notices: NewWorkNotice[] = [];
  for (const ticket of view.mine) {
    const about = { ticketId: ticket.id, number: ticket.number, subject: ticket.subject };
    const lastReply = known.customerReplies.get(ticket.id);
    if (!known.mine.has(ticket.id)) {
      if (!ticket.pending) notices.push({ kind: 'assigned', ...about });
    } else if (lastReply !== undefined && ticket.lastCustomerReplyAt > lastReply) {
      notices.push({ kind: 'customer-reply', ...about });
    }
  }
  for (const item of view.attention) {
    if (known.attention.has(item.id)) continue;
    notices.push({
      kind: 'needs-attention',
      itemId: item.id,
      ticketId: item.entity === 'ticket' ? item.entityId : null,
      problem: item.kind,
    });
  }
  return { notices, known: next };
}

const UNSETTLED: ReadonlySet<SyncStatus['state']> = new Set(['connecting', 'initial-sync']);
export const MINE_WINDOW = 50;

type Service = Pick<HelpdeskService, 'invoke' | 'on'>;

const UNSETTLED_VIEW: WorkView = { settled: false, mine: [], mineComplete: false, attention: [] };

/** Which account the bridge calls act on ('' for none). */
async function activeAccount(service: Service): Promise<string> {
  const session = await service.invoke('getSession', {});
  return session ? `${session.serverUrl} ${session.tenant.id} ${session.user.id}` : '';
}

/**
 * Checks for new work each time the replica changes and hands what is new to `notify`. Checks run
 * one at a time; changes arriving during a check fold into a single next one. Signed out, or on a
 * switch to another account, the baseline is dropped, so each account starts from its own.
 */
export class NewWorkWatcher {
  private known: KnownWork | null = null;
  private account = '';
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly service: Service,
    private readonly notify: (notices: NewWorkNotice[]) => void,
  ) {}

  /** Watches replicaChanged; returns a function that stops watching. */
  start(): () => void {
    const stop = this.service.on('replicaChanged', () => void this.check());
    void this.check();
    return stop;
  }

  /** Runs a check (or joins the one under way and one more after it); resolves when done. */
  check(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.checkOnce();
      } while (this.again);
      this.running = null;
    })();
    return this.running;
  }

  private async checkOnce(): Promise<void> {
    let account: string;
    let view: WorkView;
    try {
      ({ account, view } = await this.view());
    } catch (error) {
      if (error instanceof BridgeError && error.code === 'not_signed_in') this.known = null;
      // Anything else (the replica closing under a sign-out): the next change checks again.
      return;
    }
    // Another account's work is all unknown to this baseline, and none of it is news.
    if (account !== this.account) this.known = null;
    this.account = account;
    const { notices, known } = diffWork(this.known, view);
    this.known = known;
    if (notices.length > 0) this.notify(notices);
  }

  private async view(): Promise<{ account: string; view: WorkView }> {
    const account = await activeAccount(this.service);
    const view = await this.workOf();
    // Switched while reading: what was read may be either account's; the next check reads again.
    const after = await activeAccount(this.service);
    return after === account ? { account, view } : { account: after, view: UNSETTLED_VIEW };
  }

  private async workOf(): Promise<WorkView> {
    const snapshot = await this.service.invoke('getSyncStatus', {});
    // Filling up, the replica gives no baseline worth reading (diffWork records none from it).
    if (UNSETTLED.has(snapshot.status.state)) return UNSETTLED_VIEW;
    const page = await this.service.invoke('listTickets', {
      mine: true,
      sort: { field: 'updatedAt', direction: 'desc' },
      limit: MINE_WINDOW,
    });
    const attention =
      snapshot.needsAttention > 0 ? await this.service.invoke('listNeedsAttention', {}) : [];
    return {
      settled: true,
      mine: page.tickets,
      mineComplete: page.total <= page.tickets.length,
      attention,
    };
  }
}
