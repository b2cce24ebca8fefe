/**
 * The output formats rendered from a stream of scopes (reports/source.ts) without the whole result in memory: a scan
 * asking only for these spools its scopes to disk and streams every output from there. Kept apart from the
 * renderers so the CLI's launcher (src/cli/heap-policy.ts) can read it without loading them.
 */
export const streamingFormats: readonly string[] = [
  'activity-csv',
  'activity-ocsf',
  'csv',
  'html',
  'json',
  'junit',
  'md',
  'ndjson',
  'ocsf',
  'sarif',
];

/** The formats whose output shows the trend against the previous scan (RenderContext.trend). */
export const trendFormats: readonly string[] = ['html', 'md'];
