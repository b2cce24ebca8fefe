/** The README's examples are what users copy: they must stay valid as the code moves. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { knownChecks } from '../checks/index.ts';
import { parseConfig } from '../src/core/config/load.ts';
import { runCli } from './support/cli.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('has a configuration reference that validates', () => {
    const section = readme.slice(readme.indexOf('## Configuration'));
    const yaml = /```yaml\n(version: 1\n[\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toBeDefined();
    const config = parseConfig(parse(yaml ?? ''), 'README.md configuration example', knownChecks);
    expect(config.providers.aws).toBeDefined();
    expect(Object.keys(config.checks).length).toBeGreaterThan(0);
  });

  it('documents every command the CLI has', async () => {
    const help = (await runCli(['--help'])).stdout;
    const commands = [...help.matchAll(/^ {2}([a-z]+)(?: |\[|$)/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(commands.length).toBeGreaterThan(5);
    for (const c of commands) expect(readme).toContain(`snapaudit ${c}`);
  });
});
