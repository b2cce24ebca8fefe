/**
 * Renders GitHub-flavoured Markdown with cmark-gfm, the reference implementation GitHub itself runs
 * (github/cmark-gfm), with the extensions github.com enables: autolink, table, strikethrough, tasklist, tagfilter.
 * Tests assert on what GitHub would make of a document — which links, images, lists and headings appear — rather
 * than on our own idea of the escaping. Debian/Ubuntu: `apt-get install cmark-gfm` (.ci/run installs it).
 */
import { execFileSync } from 'node:child_process';

const EXTENSIONS = ['autolink', 'table', 'strikethrough', 'tasklist', 'tagfilter'];

export function renderGfm(markdown: string): string {
  try {
    return execFileSync(
      'cmark-gfm',
      EXTENSIONS.flatMap((e) => ['-e', e]),
      { input: markdown, maxBuffer: 64 * 1024 * 1024 },
    ).toString();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('cmark-gfm is not installed: the Markdown safety tests render with it. Fix: apt-get install cmark-gfm');
    }
    throw err;
  }
}

/** How many elements of each tag name a rendered document holds. */
export function tagCounts(html: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of html.matchAll(/<([a-z][a-z0-9]*)\b/gi)) {
    const t = m[1]!.toLowerCase();
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return counts;
}
