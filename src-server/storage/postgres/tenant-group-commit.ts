/** What a group commit answers for each item: its result, or what it threw. */
export type ItemOutcome<R> = { result: R } | { error: unknown };

interface Waiting<S, R> {
  item: S;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit per tenant: items of one tenant that arrive while that tenant's previous group is
 * being committed wait in this process, without a database connection, and go together in the
 * next group: one transaction, one tenant lock, one WAL flush for all of them. Tenants never wait
 * for each other here. `commit` answers one outcome per item, in order; if it throws, every item
 * of its group fails with that error (none was applied).
 */
export class TenantGroupCommit<S, R> {
  private readonly waiting = new Map<string, Array<Waiting<S, R>>>();

  constructor(
    private readonly commit: (tenantId: string, items: readonly S[]) => Promise<ItemOutcome<R>[]>,
  ) {}

  submit(tenantId: string, item: S): Promise<R> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(tenantId);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.waiting.set(tenantId, [{ item, resolve, reject }]);
      void this.drain(tenantId);
    });
  }

  /** Commits the tenant's waiting items group after group until none is left. */
  private async drain(tenantId: string): Promise<void> {
    const queue = this.waiting.get(tenantId)!;
    // Let the items that arrive in the same turn of the event loop join the first group.
    await new Promise((resolve) => setImmediate(resolve));
    while (queue.length > 0) {
      const group = queue.splice(0);
      let outcomes: ItemOutcome<R>[];
      try {
        outcomes = await this.commit(
          tenantId,
          group.map((w) => w.item),
        );
      } catch (error) {
        for (const w of group) w.reject(error);
        continue;
      }
      group.forEach((w, i) => {
        const outcome = outcomes[i];
        if (outcome && 'result' in outcome) w.resolve(outcome.result);
        else w.reject(outcome ? outcome.error : new Error('the group commit left this item out'));
      });
    }
    this.waiting.delete(tenantId);
  }
}
