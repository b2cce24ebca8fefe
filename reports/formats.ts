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

/**
 * Every output format this version renders, sorted (reports/index.ts holds a renderer for each; a test keeps the two
 * equal). The CLI validates and lists formats from here without loading the renderers before a scan has run.
 */
export const outputFormats: readonly string[] = [...streamingFormats];

/** The formats `snapaudit report` writes when none is asked for: every one but the result itself. */
export const reportDefaultFormats: readonly string[] = outputFormats.filter((f) => f !== 'json' && f !== 'ndjson');

/** The formats whose output shows the trend against the previous scan (RenderContext.trend). */
export const trendFormats: readonly string[] = ['html', 'md'];
