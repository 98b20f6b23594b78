import { expect, test } from './fixtures';

interface BridgeRequest {
  call: string;
  input: { limit?: number; after?: string } | null;
}

test('at start-up the list asks for its first page once, beside the sync status and not after it', async ({
  app,
  relaunch,
}) => {
  await app.signIn();
  const requests: BridgeRequest[] = [];
  app.page.on('request', (request) => {
    const call = /\/__bridge\/invoke\/(\w+)$/.exec(request.url())?.[1];
    if (call) requests.push({ call, input: request.postDataJSON() as BridgeRequest['input'] });
  });
  await relaunch();
  await expect(app.rows().first()).toBeVisible();
  const seen = [...requests];
  // The counts of the sidebar ask for one row each; the list for a page.
  const firstPages = seen.filter(
    (r) => r.call === 'listTickets' && (r.input?.limit ?? 0) > 1 && r.input?.after === undefined,
  );
  expect(firstPages).toHaveLength(1);
  const at = (call: string) => seen.findIndex((r) => r.call === call);
  expect(at('getSession')).toBeGreaterThanOrEqual(0);
  expect(at('getSyncStatus')).toBeGreaterThanOrEqual(0);
  expect(seen.indexOf(firstPages[0]!)).toBeLessThan(at('getSyncStatus'));
});
