/**
 * Each streaming renderer loaded on its own (reports/index.ts `streamers` holds the same functions): a command that
 * streams its outputs loads the renderers of the formats it writes and no other. Every renderer together costs some
 * 14 MB of RSS from the sources, which a JSON-only scan would otherwise add while it writes result.json.
 */
import type { StreamRenderer } from './index.ts';

export const streamerLoaders: Record<string, () => Promise<StreamRenderer>> = {
  json: async () => (await import('./json.ts')).streamJson,
  ndjson: async () => (await import('./ndjson.ts')).streamNdjson,
  csv: async () => (await import('./csv.ts')).streamCsv,
  ocsf: async () => (await import('./ocsf.ts')).streamOcsf,
  sarif: async () => (await import('./sarif.ts')).streamSarif,
  junit: async () => (await import('./junit.ts')).streamJunit,
  html: async () => (await import('./html/index.ts')).streamHtml,
  md: async () => (await import('./markdown.ts')).streamMarkdown,
  'activity-csv': async () => (await import('./activity-csv.ts')).streamActivityCsv,
  'activity-ocsf': async () => (await import('./activity-ocsf.ts')).streamActivityOcsf,
};

/** The streaming renderers of `formats` (a format that does not stream has none). */
export async function loadStreamers(formats: readonly string[]): Promise<Record<string, StreamRenderer>> {
  const loaded: Record<string, StreamRenderer> = {};
  for (const format of formats) {
    const load = streamerLoaders[format];
    if (load) loaded[format] = await load();
  }
  return loaded;
}
