import { describe, expect, it } from 'vitest';
import type { HeldChanges } from '../../../../src-shared/bridge/triage';
import { heldChangeLines } from '../../../../src-renderer/lib/held-text';

const none: HeldChanges = {
  newComments: 0,
  firstLine: null,
  fromCustomer: false,
  status: null,
  assignee: null,
};
const users = [
  { id: 'me', name: 'Agent 1' },
  { id: 'u2', name: 'Agent 2' },
];

describe('heldChangeLines', () => {
  it('says who wrote, quoting the first line', () => {
    expect(
      heldChangeLines(
        { ...none, newComments: 1, firstLine: 'Works now', fromCustomer: true },
        users,
        'me',
      ),
    ).toEqual(['The requester replied: “Works now”']);
    expect(heldChangeLines({ ...none, newComments: 1, firstLine: 'On it' }, users, 'me')).toEqual([
      'Another agent replied: “On it”',
    ]);
    expect(
      heldChangeLines(
        { ...none, newComments: 3, firstLine: 'Hi', fromCustomer: true },
        users,
        'me',
      ),
    ).toEqual(['3 new public replies, the requester among them; the first: “Hi”']);
  });

  it('says how the status and the assignee moved, "you" for the agent', () => {
    expect(
      heldChangeLines(
        {
          ...none,
          status: { from: 'open', to: 'solved' },
          assignee: { from: 'me', to: 'u2' },
        },
        users,
        'me',
      ),
    ).toEqual(['Status changed from Open to Solved', 'Assigned to Agent 2 (was you)']);
    expect(heldChangeLines({ ...none, assignee: { from: 'u2', to: null } }, users, 'me')).toEqual([
      'Unassigned (was Agent 2)',
    ]);
    expect(heldChangeLines(none, users, 'me')).toEqual([]);
  });
});
