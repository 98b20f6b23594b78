/** A row of the replica's `tickets` table (the projection), with its columns as named in SQL. */
export interface TicketsRow {
  id: string;
  number: number | null;
  subject: string;
  status: string;
  priority: string;
  priority_rank: number;
  type: string | null;
  requester_id: string;
  assignee_id: string | null;
  created_at: string;
  updated_at: string;
  pending: number;
  last_customer_reply_at: string;
}
