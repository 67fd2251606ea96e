// The one function that quotes a value for a POSIX shell command line.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes `value` so that sh, dash, bash and busybox ash read it back as one word. */
export function shellQuote(value: string): string {
  if (value !== "" && SAFE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Quotes and joins words into one command line. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}
