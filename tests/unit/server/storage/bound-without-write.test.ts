import { describe, expect, it } from 'vitest';
import { boundWithoutWrite } from '../../../../src-server/storage/row-mapping';

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes)).toISOString();
const row = { user_id: 'u1', last_mutation_id: 7, last_seen_at: at(0) };

describe('binding a sync client without a write (both storages)', () => {
  it('needs a write for a new client, and for one last seen an hour ago or more', () => {
    expect(boundWithoutWrite(undefined, 'u1', at(0))).toBeNull();
    expect(boundWithoutWrite(row, 'u1', at(60))).toBeNull();
    expect(boundWithoutWrite(row, 'u1', at(61))).toBeNull();
  });

  it('answers a client of the same user seen within the hour as it is', () => {
    expect(boundWithoutWrite(row, 'u1', at(59))).toEqual({ userId: 'u1', lastMutationId: 7 });
  });

  it("answers another user's client unchanged, for the caller to refuse", () => {
    expect(boundWithoutWrite(row, 'u2', at(200))).toEqual({ userId: 'u1', lastMutationId: 7 });
  });
});
