/**
 * What crash-child.ts is told and what it reports, shared with the tests that read its reports.
 */
export interface CrashChildConfig {
  mode: 'work' | 'migrate';
  dir: string;
  seed: number;
  /** Tells this life's writes apart from the earlier lives'. */
  life: number;
  /** Writes to make before exiting; none: until killed. */
  ops?: number;
}

export type CrashAck =
  | { op: 'snapshot'; page: 0 }
  | { op: 'comment'; mutationId: number; commentId: string; body: string }
  | {
      op: 'batch';
      marker: string;
      mutationIds: number[];
      commentIds: string[];
      tag: string;
      ticketId: string;
    }
  | { op: 'page'; page: number }
  | { op: 'sent'; mutationIds: number[]; walSalt: string; walEnd: number }
  | { op: 'answered'; mutationIds: number[] }
  | { op: 'confirmed'; lastMutationId: number };

export const CRASH_TICKETS = 150;

/** The tickets of the replica, by number: stable ids across lives. */
export const crashTicketId = (n: number) =>
  `30000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** Cursors name the page that set them, so a check can tell the page the replica is at. */
export const pageOfCursor = (cursor: string) => Number(/^p(\d+)\./.exec(cursor)?.[1] ?? -1);
export const pageOfSubject = (subject: string) => Number(/^page (\d+)$/.exec(subject)?.[1] ?? -1);
