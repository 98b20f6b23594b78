import { randomUUID } from 'node:crypto';
import { numberText } from './support/app';
import { expect, test } from './fixtures';

test('search finds a ticket by a word that only a comment of it holds', async ({
  app,
  service,
}) => {
  // The demo's comments come from a small vocabulary: another client adds one with a rare word.
  const { tickets } = await service.state();
  const target = [...tickets.values()]
    .filter((t) => t.number !== null)
    .sort((a, b) => a.number! - b.number!)[7]!;
  const word = `quokkafax${Date.now().toString(36)}`;
  expect(target.subject + target.description).not.toContain(word);
  await service.changeAsAdmin({
    name: 'addComment',
    args: {
      id: randomUUID(),
      ticketId: target.id,
      body: `The ${word} unit is back.`,
      public: false,
    },
  });

  await app.signIn();
  const unfiltered = await app.rows().count();
  await app.search().fill(word);
  await app.search().press('Enter');
  await expect(app.rows()).toHaveCount(1);
  await expect(app.rows().first()).toContainText(numberText(target.number!));
  await expect(app.rows().first()).toContainText(target.subject);
  await app.screenshot('search-results');

  // A prefix of the word finds it too (words match as prefixes); Esc leaves the search.
  await app.search().fill(word.slice(0, -2));
  await app.search().press('Enter');
  await expect(app.rows()).toHaveCount(1);
  await app.search().press('Escape');
  await expect(app.search()).toHaveValue('');
  await expect(app.search()).not.toBeFocused();
  await expect(app.rows()).toHaveCount(unfiltered);
});
