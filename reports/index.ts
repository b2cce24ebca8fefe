/** Renderers by output format. Each is a pure function of the scan result; only the CLI writes the files. */
import type { OutputFile } from '../src/core/output-file.ts';
import type { ScanResult } from '../src/core/model/result.ts';
import { renderCsv } from './csv.ts';
import { renderHtml } from './html/index.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { renderNdjson } from './ndjson.ts';
import { renderOcsf } from './ocsf.ts';
import { renderSarif } from './sarif.ts';
import type { RenderContext } from './types.ts';

export type Renderer = (result: ScanResult, ctx: RenderContext) => OutputFile[];

export const renderers: Record<string, Renderer> = {
  json: (r) => [{ name: 'result.json', content: renderJson(r) }],
  html: renderHtml,
  csv: renderCsv,
  md: renderMarkdown,
  sarif: renderSarif,
  ocsf: renderOcsf,
  junit: renderJunit,
  ndjson: renderNdjson,
};

/** Formats written from the spool one scope at a time, without the whole result in memory (src/engine/spool.ts). */
export const streamingFormats: readonly string[] = ['json', 'ndjson'];

export function availableFormats(): string[] {
  return Object.keys(renderers).sort();
}
