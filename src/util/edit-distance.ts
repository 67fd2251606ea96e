// How far apart two words are, to suggest what a mistyped name meant ("did you mean").

/** The Levenshtein distance between `a` and `b`: insertions, deletions and substitutions of one character each. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The candidate closest to `word` (each candidate has several spellings, e.g. a
 * chapter's id, number and slug), if it is close enough to be a typo: at most a
 * third of the word's length, and at least 1 or 2 edits away for short words.
 */
export function closest<T>(word: string, candidates: readonly { value: T; names: readonly string[] }[]): T | undefined {
  const w = word.trim().toLowerCase();
  if (w === "") return undefined;
  let best: { value: T; d: number } | undefined;
  for (const c of candidates) {
    for (const name of c.names) {
      const d = editDistance(w, name.toLowerCase());
      if (!best || d < best.d) best = { value: c.value, d };
    }
  }
  const limit = Math.max(w.length <= 3 ? 1 : 2, Math.floor(w.length / 3));
  return best && best.d <= limit ? best.value : undefined;
}
