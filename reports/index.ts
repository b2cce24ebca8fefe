/** Renderers by output format. Each is a pure function of the scan result; only the CLI writes the files. */
import type { OutputFile } from '../src/core/output-file.ts';
import type { ScanResult } from '../src/core/model/result.ts';
import { streamActivityCsv } from './activity-csv.ts';
import { streamActivityOcsf } from './activity-ocsf.ts';
import { streamCsv } from './csv.ts';
import { streamingFormats, trendFormats } from './formats.ts';
import { streamHtml } from './html/index.ts';
import { renderJson, streamJson } from './json.ts';
import { streamJunit } from './junit.ts';
import { streamMarkdown } from './markdown.ts';
import { renderNdjson, streamNdjson } from './ndjson.ts';
import { streamOcsf } from './ocsf.ts';
import { streamSarif } from './sarif.ts';
import { type ResultSource, resultSource, type StreamedFile, wholeFiles } from './source.ts';
import type { RenderContext } from './types.ts';

export type Renderer = (result: ScanResult, ctx: RenderContext) => OutputFile[];

/** A renderer that reads the result through a source (scope by scope, finding by finding) and yields its text in chunks. */
export type StreamRenderer = (source: ResultSource, ctx: RenderContext) => StreamedFile[];

/** The formats that stream (reports/formats.ts lists their names). */
export const streamers: Record<string, StreamRenderer> = {
  json: streamJson,
  ndjson: streamNdjson,
  csv: streamCsv,
  ocsf: streamOcsf,
  sarif: streamSarif,
  junit: streamJunit,
  html: streamHtml,
  md: streamMarkdown,
  'activity-csv': streamActivityCsv,
  'activity-ocsf': streamActivityOcsf,
};

const whole =
  (format: string): Renderer =>
  (r, ctx) =>
    wholeFiles(streamers[format]!(resultSource(r), ctx));

export const renderers: Record<string, Renderer> = {
  json: (r) => [{ name: 'result.json', content: renderJson(r) }],
  html: whole('html'),
  csv: whole('csv'),
  md: whole('md'),
  sarif: whole('sarif'),
  ocsf: whole('ocsf'),
  junit: whole('junit'),
  ndjson: renderNdjson,
  'activity-csv': whole('activity-csv'),
  'activity-ocsf': whole('activity-ocsf'),
};

export { streamingFormats, trendFormats };

export function availableFormats(): string[] {
  return Object.keys(renderers).sort();
}
