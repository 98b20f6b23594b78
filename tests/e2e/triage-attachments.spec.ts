import { readFile } from 'node:fs/promises';
import type { Locator } from '@playwright/test';
import type { Attachment } from '../../src-shared/domain/entities';
import { expectNoSeriousViolations } from './support/axe';
import { expect, test } from './fixtures';

test('attachments are listed by name and size; content comes on demand, then opens offline; one never fetched says it is not available offline', async ({
  app,
  service,
}) => {
  const { page } = app;
  await app.signIn();
  const ticket = await service.ticketByNumber(await app.openFirstTicket());
  const log = Buffer.from('Router log\n09:14 link down\n09:20 link up\n');
  const photo = Buffer.alloc(3 * 1024, 7);
  await service.attach(ticket.id, 'router-log.txt', log, 'text/plain');
  await service.attach(ticket.id, 'desk-photo.png', photo, 'image/png');
  await app.syncNowButton().click();

  const files = app.pane().getByRole('list', { name: 'Attachments' }).getByRole('listitem');
  await expect(files).toHaveCount(2);
  const [logItem, photoItem] = [files.nth(0), files.nth(1)];
  await expect(logItem).toContainText(`router-log.txt${log.length} bytes`);
  await expect(photoItem).toContainText('desk-photo.png3.0 KB');
  await expect(logItem).toContainText('Downloads from the service');
  const download = async (item: Locator, name: string) => {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      item.getByRole('button', { name: `Download ${name}` }).click(),
    ]);
    expect(file.suggestedFilename()).toBe(name);
    return readFile(await file.path());
  };

  expect(await download(logItem, 'router-log.txt')).toEqual(log);
  await expect(logItem).toContainText('On this computer');

  await app.goOffline();
  expect(await download(logItem, 'router-log.txt')).toEqual(log);
  await expect(photoItem).toContainText('Not available offline');
  await photoItem.getByRole('button', { name: 'Download desk-photo.png' }).click();
  await expect(photoItem.getByRole('alert')).toContainText(
    'Not available offline: connect to the service to download it once',
  );
  await expectNoSeriousViolations(page, 'attachments, one not available offline');
  await page.keyboard.press('Escape');
  await page.keyboard.press('f');
  await expect(logItem.getByRole('button', { name: 'Download router-log.txt' })).toBeFocused();

  await app.goOnline();
  const { rows } = await service.state();
  const onTicket = [...rows.entries()]
    .filter(([key]) => key.startsWith('attachment:'))
    .map(([, data]) => data as Attachment)
    .filter((a) => a.ticketId === ticket.id);
  expect(onTicket.map((a) => [a.name, a.size])).toEqual([
    ['router-log.txt', log.length],
    ['desk-photo.png', photo.length],
  ]);
  expect(await download(photoItem, 'desk-photo.png')).toEqual(photo);
});
