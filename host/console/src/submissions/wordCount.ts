/**
 * The API's word count (SubmissionDecider.CountWords: .NET's String.Split on white space, empty entries removed): a
 * word is a run of characters between separators. The separators come from the API (Submission.wordCountRule), so
 * that the count shown while typing is the one attachSubmissionText will store — JavaScript's own `\s` differs
 * (it takes U+FEFF as a space and not U+0085).
 */
export function wordCounter(separators: readonly number[]): (text: string) => number {
  const isSeparator = new Set(separators);
  return (text: string) => {
    let words = 0;
    let inWord = false;
    for (let i = 0; i < text.length; i++) {
      if (isSeparator.has(text.charCodeAt(i))) {
        inWord = false;
      } else if (!inWord) {
        inWord = true;
        words++;
      }
    }
    return words;
  };
}

/** Where a count stands against its limit: within it, close to it (the last 5 %), or over it. */
export function wordLimitState(count: number, limit: number | null | undefined): 'none' | 'within' | 'near' | 'over' {
  if (limit == null) return 'none';
  if (count > limit) return 'over';
  return count >= limit * 0.95 ? 'near' : 'within';
}
