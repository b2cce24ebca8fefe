/**
 * Golden files: every renderer on the shared fixture, byte for byte. After a deliberate change, regenerate with
 *   npm run goldens        (UPDATE_GOLDENS=1 vitest run test/reports/golden.test.ts)
 * and review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderers } from '../../reports/index.ts';
import type { RenderContext } from '../../reports/types.ts';
import type { ScanResult } from '../../src/core/model/result.ts';
import { sampleTrend } from '../fixtures/trend.ts';
import { catalogue } from '../../checks/index.ts';

const result: ScanResult = JSON.parse(readFileSync(new URL('../fixtures/multi-cloud-result.json', import.meta.url), 'utf8'));
const dir = fileURLToPath(new URL('./goldens/', import.meta.url));
const update = process.env.UPDATE_GOLDENS === '1';
const ctx: RenderContext = { trend: sampleTrend, frameworks: ['nist-800-53', 'cis-aws', 'cis-gcp'], checks: catalogue };

describe('golden report files (fixture: test/fixtures/multi-cloud-result.json)', () => {
  for (const format of Object.keys(renderers)
    .filter((f) => f !== 'json')
    .sort()) {
    const files = renderers[format]!(result, ctx);
    for (const file of files) {
      it(`${format}: ${file.name}`, () => {
        const path = join(dir, file.name);
        const content = String(file.content);
        if (update) {
          mkdirSync(dir, { recursive: true });
          writeFileSync(path, content);
        }
        expect(existsSync(path), `missing golden ${path}: run npm run goldens`).toBe(true);
        expect(content).toBe(readFileSync(path, 'utf8'));
      });
    }
    it(`${format} is deterministic`, () => {
      const again = renderers[format]!(result, ctx);
      expect(again.map((f) => String(f.content))).toEqual(files.map((f) => String(f.content)));
    });
  }
});

describe('golden HTML report of a large organisation (the fixture with a row limit of 0: aggregates and the worst findings)', () => {
  it('html: report-summary.html', () => {
    const [file] = renderers.html!(result, { ...ctx, html: { detailLimit: 0, worst: 5 } });
    const path = join(dir, 'report-summary.html');
    const content = String(file!.content);
    if (update) writeFileSync(path, content);
    expect(existsSync(path), `missing golden ${path}: run npm run goldens`).toBe(true);
    expect(content).toBe(readFileSync(path, 'utf8'));
  });
});
