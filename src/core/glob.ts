/** Globs used by config filters, baselines, suppressions and ticket routing. */
/** Glob, case-insensitive unless asked: `*` matches any run of characters, `?` one character. */
export function globMatch(pattern: string, value: string, caseSensitive = false): boolean {
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.+()|{}[\]]/g, '\\$&')))
      .join('')}$`,
    caseSensitive ? '' : 'i',
  );
  return re.test(value);
}

export function matchesAny(patterns: readonly string[], value: string): string | null {
  return patterns.find((p) => globMatch(p, value)) ?? null;
}
