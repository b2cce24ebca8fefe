/** Renderers by output format. Each is a pure function of the scan result; only the CLI writes the files. */
import type { OutputFile } from '../src/cli/output.ts';
import type { ScanResult } from '../src/model/result.ts';
import { renderJson } from './json.ts';
import type { RenderContext } from './types.ts';

export type Renderer = (result: ScanResult, ctx: RenderContext) => OutputFile[];

export const renderers: Record<string, Renderer> = {
  json: (r) => [{ name: 'result.json', content: renderJson(r) }],
};

export function availableFormats(): string[] {
  return Object.keys(renderers).sort();
}
