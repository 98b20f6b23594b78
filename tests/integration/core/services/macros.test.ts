import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HelpdeskService } from '../../../../src-main/core/services/helpdesk-service';
import type { Comment } from '../../../../src-shared/domain/entities';
import {
  startHelpdeskHarness,
  synced,
  type HelpdeskHarness,
} from '../../../support/helpdesk-harness';
import { serverState } from '../../../support/sync-harness';

/**
 * Macros end to end, through the bridge as the renderer calls it: an admin saves one, it reaches
 * an agent's replica through sync, the agent applies it with the service out of reach, sees its
 * effects at once, and once back online the service has each effect exactly once, the reply's
 * placeholders filled. An agent cannot save one, here or on the service.
 */

let h: HelpdeskHarness;

beforeAll(async () => {
  h = await startHelpdeskHarness('macros');
});
afterAll(() => h?.close());

const MACRO = {
  id: randomUUID(),
  title: 'Waiting for a photo',
  actions: {
    status: 'pending',
    priority: 'high',
    assignee: 'me',
    addTags: ['needs-photo'],
    removeTags: [] as string[],
  },
  reply: {
    body:
      'Hi {{requester.firstName}}, this is {{agent.name}} about #{{ticket.number}} ' +
      '({{ticket.subject}}). Could you send a photo? {{unknown.thing}}',
    public: true,
  },
};

describe('macros', () => {
  let admin: HelpdeskService;
  let agent: HelpdeskService;

  beforeAll(async () => {
    const signed = await Promise.all([
      h.signedIn('admin@acme.test'),
      h.signedIn('agent2@acme.test'),
    ]);
    [admin, agent] = signed.map((s) => s.service) as [HelpdeskService, HelpdeskService];
  });

  it('are saved by an admin and reach an agent through sync', async () => {
    await admin.invoke('mutate', { name: 'saveMacro', args: MACRO });
    await synced(admin);
    // The agent's replica learns of it by a pull (prompted by the live events stream, or now).
    await synced(agent);
    expect(await agent.invoke('listMacros', {})).toEqual([
      expect.objectContaining({ id: MACRO.id, title: MACRO.title, reply: MACRO.reply }),
    ]);
  });

  it('are refused to an agent, locally and by the service', async () => {
    const args = { ...MACRO, id: randomUUID(), title: 'Mine' };
    await expect(agent.invoke('mutate', { name: 'saveMacro', args })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect((await agent.invoke('getSyncStatus', {})).pending).toBe(0);
    const session = await h.t.api.session('acme', 'agent2@acme.test');
    const pushed = await session.send({ name: 'saveMacro', args });
    expect(pushed.body.results[0]).toMatchObject({
      status: 'rejected',
      error: { code: 'forbidden' },
    });
    const server = await serverState(h.t.api, 'acme', 'admin@acme.test');
    expect(server.rows.has(`macro:${args.id}`)).toBe(false);
  });

  it('apply offline, show at once, and reach the service once each when back online', async () => {
    const session = await agent.invoke('getSession', {});
    const { tickets } = await agent.invoke('listTickets', { status: ['open'], limit: 20 });
    // A ticket of someone else's, with a tag the macro will take off.
    const target = tickets.find((x) => x.assigneeId !== session!.user.id && x.tags.length > 0)!;
    const removed = target.tags[0]!;
    const detailBefore = (await agent.invoke('getTicket', { id: target.id }))!;
    await admin.invoke('mutate', {
      name: 'saveMacro',
      args: { ...MACRO, actions: { ...MACRO.actions, removeTags: [removed] } },
    });
    await synced(admin);
    await synced(agent);

    const { expectedBody, reply } = await h.offline(async () => {
      const { mutationIds } = await agent.invoke('applyMacro', {
        ticketId: target.id,
        macroId: MACRO.id,
      });
      expect(mutationIds).toHaveLength(4);
      expect(mutationIds).toEqual(mutationIds.map((_, i) => mutationIds[0]! + i));

      const local = (await agent.invoke('getTicket', { id: target.id }))!;
      expect(local.ticket).toMatchObject({
        status: 'pending',
        priority: 'high',
        assigneeId: session!.user.id,
        pending: true,
      });
      expect(local.ticket.tags).toContain('needs-photo');
      expect(local.ticket.tags).not.toContain(removed);
      const requester = detailBefore.requester!.name.split(' ')[0];
      const expectedBody =
        `Hi ${requester}, this is ${session!.user.name} about #${target.number} ` +
        `(${target.subject}). Could you send a photo? {{unknown.thing}}`;
      const reply = local.comments.at(-1)!;
      expect(reply).toMatchObject({ body: expectedBody, public: true });
      expect((await agent.invoke('getSyncStatus', {})).pending).toBe(4);

      // Unknown ids and bad input change nothing.
      await expect(
        agent.invoke('applyMacro', { ticketId: target.id, macroId: randomUUID() }),
      ).rejects.toMatchObject({ code: 'not_found' });
      await expect(
        agent.invoke('applyMacro', { ticketId: target.id, macroId: 'x' }),
      ).rejects.toMatchObject({ code: 'bad_request' });
      expect((await agent.invoke('getSyncStatus', {})).pending).toBe(4);
      return { expectedBody, reply };
    });

    await synced(agent);
    const server = await serverState(h.t.api, 'acme', 'admin@acme.test');
    const ticket = server.tickets.get(target.id)!;
    expect(ticket).toMatchObject({
      status: 'pending',
      priority: 'high',
      assigneeId: session!.user.id,
    });
    expect(ticket.tags.filter((tag) => tag === 'needs-photo')).toHaveLength(1);
    expect(ticket.tags).not.toContain(removed);
    const replies = [...server.comments.values()].filter(
      (c: Comment) => c.ticketId === target.id && c.body === expectedBody,
    );
    expect(replies).toEqual([
      expect.objectContaining({ id: reply.id, authorId: session!.user.id }),
    ]);

    // Applied again, the ticket already has it all: only the reply is new.
    const again = await agent.invoke('applyMacro', { ticketId: target.id, macroId: MACRO.id });
    expect(again.mutationIds).toHaveLength(1);
    await synced(agent);
  });
});
