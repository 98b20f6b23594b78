/**
 * Fuzzy-ish matching for the command palette and the macro picker: every character of the query,
 * in order, somewhere in the text (case and accents ignored). A higher score is a better match:
 * characters that follow each other, a match at the start of the text or of a word, a shorter
 * text.
 */

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

const WORD_START = /[\s\-_:/.(#]/;

/** The match's score, or null when the text does not hold the query's characters in order. */
export function fuzzyScore(query: string, text: string): number | null {
  const q = fold(query).replace(/\s+/g, '');
  if (q === '') return 0;
  const t = fold(text);
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const char of q) {
    const at = t.indexOf(char, from);
    if (at < 0) return null;
    score += 1;
    if (at === previous + 1) score += 3;
    if (at === 0 || WORD_START.test(t[at - 1]!)) score += 2;
    previous = at;
    from = at + 1;
  }
  // A hit at the very start, then a whole-word one, beat the same letters spread out; shorter
  // texts win ties.
  const whole = fold(query).trim();
  if (t.startsWith(whole)) score += 8;
  else if (t.includes(whole)) score += 5;
  return score - t.length / 100;
}

/** The items that match, best first (ties keep their order). */
export function fuzzyFilter<T>(query: string, items: readonly T[], text: (item: T) => string): T[] {
  return items
    .map((item, index) => ({ item, index, score: fuzzyScore(query, text(item)) }))
    .filter((entry): entry is { item: T; index: number; score: number } => entry.score !== null)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((entry) => entry.item);
}
