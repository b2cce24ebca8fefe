/** Structure checks for rendered documents: XML well-formedness, the tags and attributes of an HTML page. */

/** A small XML 1.0 well-formedness check: balanced elements, quoted attributes, known entities, legal characters. */
export function assertWellFormedXml(xml: string): void {
  const bad = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.exec(xml);
  if (bad) throw new Error(`illegal XML character U+${bad[0].charCodeAt(0).toString(16)} at ${bad.index}`);
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const token =
    /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/g;
  for (let m = token.exec(body); m; m = token.exec(body)) {
    if (m[0] === '<') throw new Error(`stray "<" at ${m.index}: ${body.slice(m.index, m.index + 60)}`);
    if (m[0].startsWith('&')) throw new Error(`bare "&" at ${m.index}: ${body.slice(m.index, m.index + 60)}`);
    if (m[0].startsWith('<!')) continue;
    const [, close, name, , selfClose] = m;
    if (close) {
      if (stack.pop() !== name) throw new Error(`mismatched </${name}> at ${m.index}`);
    } else if (!selfClose) stack.push(name!);
  }
  if (stack.length > 0) throw new Error(`unclosed elements: ${stack.join(' > ')}`);
}

/** Tag and attribute names used in an HTML document (scripts' contents skipped). */
export function markup(html: string): { tags: Map<string, number>; attributes: Set<string> } {
  const tags = new Map<string, number>();
  const attributes = new Set<string>();
  const withoutScripts = html
    .replace(/(<script\b[^>]*>)[\s\S]*?(<\/script>)/gi, '$1$2')
    .replace(/(<style\b[^>]*>)[\s\S]*?(<\/style>)/gi, '$1$2');
  for (const m of withoutScripts.matchAll(/<([A-Za-z][\w-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g)) {
    const name = m[1]!.toLowerCase();
    tags.set(name, (tags.get(name) ?? 0) + 1);
    for (const a of (m[2] ?? '').replace(/"[^"]*"|'[^']*'/g, '""').matchAll(/\s+([^\s=>/]+)/g)) attributes.add(a[1]!.toLowerCase());
  }
  return { tags, attributes };
}
