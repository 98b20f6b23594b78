import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { windowStart } from '../../../../src-shared/bridge/offline-window';
import {
  CLOCK_MARGIN_MS,
  mayLackThread,
  ticketsToEvict,
} from '../../../../src-main/core/replica/window-rules';

/** The pure rules of "keep offline: tickets updated in the last N months". */

const time = fc
  .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString());
const held = fc.uniqueArray(fc.record({ id: fc.uuid(), updatedAt: time }), {
  selector: (t) => t.id,
  maxLength: 40,
});

describe('ticketsToEvict', () => {
  it('takes exactly the tickets older than the cutoff that are not kept, in order', () => {
    fc.assert(
      fc.property(held, time, fc.func(fc.boolean()), (tickets, cutoff, pick) => {
        const keep = new Set(tickets.filter((t) => pick(t.id)).map((t) => t.id));
        const out = ticketsToEvict(tickets, cutoff, keep);
        expect(out).toEqual(
          tickets.filter((t) => t.updatedAt < cutoff && !keep.has(t.id)).map((t) => t.id),
        );
        for (const id of out) expect(keep.has(id)).toBe(false);
      }),
    );
  });

  it('lets more go, never fewer, as the cutoff moves on', () => {
    fc.assert(
      fc.property(held, time, time, (tickets, a, b) => {
        const [early, late] = a < b ? [a, b] : [b, a];
        const before = new Set(ticketsToEvict(tickets, early, new Set()));
        const after = new Set(ticketsToEvict(tickets, late, new Set()));
        for (const id of before) expect(after.has(id)).toBe(true);
      }),
    );
  });

  it('keeps a ticket updated exactly at the cutoff', () => {
    const at = '2026-01-01T00:00:00.000Z';
    expect(ticketsToEvict([{ id: 'a', updatedAt: at }], at, new Set())).toEqual([]);
  });
});

describe('mayLackThread', () => {
  const keptSince = '2026-01-01T00:00:00.000Z';
  const ticket = (createdAt: string, updatedAt: string, isHeld = false) => ({
    createdAt,
    updatedAt,
    held: isHeld,
  });

  it('after a snapshot: only a ticket not held here, created before what is kept whole', () => {
    const after = { kind: 'after' as const, keptSince };
    expect(
      mayLackThread(ticket('2025-06-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'), after),
    ).toBe(true);
    expect(
      mayLackThread(ticket('2025-06-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', true), after),
    ).toBe(false);
    expect(mayLackThread(ticket(keptSince, '2026-02-01T00:00:00.000Z'), after)).toBe(false);
    expect(
      mayLackThread(ticket('2025-06-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'), {
        kind: 'after',
        keptSince: null,
      }),
    ).toBe(false);
  });

  it('during a windowed snapshot: a ticket from before the window, changed while it ran', () => {
    const startedAt = '2026-02-01T12:00:00.000Z';
    const snapshot = { kind: 'snapshot' as const, since: keptSince, startedAt };
    const justBefore = new Date(Date.parse(startedAt) - CLOCK_MARGIN_MS + 1).toISOString();
    const longBefore = new Date(Date.parse(startedAt) - CLOCK_MARGIN_MS - 1).toISOString();
    expect(mayLackThread(ticket('2025-06-01T00:00:00.000Z', justBefore), snapshot)).toBe(true);
    expect(mayLackThread(ticket('2025-06-01T00:00:00.000Z', longBefore), snapshot)).toBe(false);
    expect(mayLackThread(ticket(keptSince, justBefore), snapshot)).toBe(false);
    expect(
      mayLackThread(ticket('2025-06-01T00:00:00.000Z', justBefore), { ...snapshot, since: null }),
    ).toBe(false);
  });
});

describe('windowStart', () => {
  it('is the same time of day, that many calendar months back, the day clamped', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.constantFrom(1, 3, 6, 12, 24),
        (now, months) => {
          const start = new Date(windowStart(now, months));
          const monthsBack =
            (now.getUTCFullYear() - start.getUTCFullYear()) * 12 +
            now.getUTCMonth() -
            start.getUTCMonth();
          expect(monthsBack).toBe(months);
          expect(start.getUTCDate()).toBeLessThanOrEqual(now.getUTCDate());
          expect(start.toISOString().slice(10)).toBe(now.toISOString().slice(10));
          const clamped = start.getUTCDate() < now.getUTCDate();
          // Clamped only to the last day of a shorter month.
          if (clamped) expect(new Date(start.getTime() + 86_400_000).getUTCDate()).toBe(1);
        },
      ),
    );
    expect(windowStart(new Date('2026-03-31T08:00:00.000Z'), 1)).toBe('2026-02-28T08:00:00.000Z');
    expect(windowStart(new Date('2024-03-31T08:00:00.000Z'), 1)).toBe('2024-02-29T08:00:00.000Z');
    expect(windowStart(new Date('2026-01-15T00:00:00.000Z'), 24)).toBe('2024-01-15T00:00:00.000Z');
  });
});
