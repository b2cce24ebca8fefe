/** Globs used by config filters, baselines, suppressions and ticket routing. */
/** Case-insensitive glob: `*` matches any run of characters, `?` one character. */
export function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.+()|{}[\]]/g, '\\$&')))
      .join('')}$`,
    'i',
  );
  return re.test(value);
}

export function matchesAny(patterns: readonly string[], value: string): string | null {
  return patterns.find((p) => globMatch(p, value)) ?? null;
}
