/**
 * The snapaudit command line. `main(argv, io)` returns the exit code instead of exiting, so tests drive it
 * in-process; bin/snapaudit.js is the only place that calls process.exit.
 */
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { checks } from '../../checks/index.ts';
import { ConfigError, loadConfigFile } from '../config/load.ts';
import { TOOL_VERSION } from '../engine/scan.ts';
import { type CliIo, ExitCode, UsageError, processIo } from './io.ts';
import { type ScanFlags, scanCommand } from './scan-command.ts';
import { defaultReportFormats, type ReportFlags, reportCommand } from './report-command.ts';
import { frameworkIds } from '../frameworks/index.ts';

function buildProgram(io: CliIo, setCode: (code: number) => void): Command {
  const program = new Command('snapaudit')
    .description(
      'Audit AWS, Azure and GCP for snapshot-based evasion (MITRE ATT&CK T1578.001): logging, who can snapshot, which snapshots exist.',
    )
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run snapaudit --help for usage)');

  program
    .command('scan')
    .description('scan the configured clouds (or the lab with --demo) and write the reports')
    .option('-c, --config <file>', 'YAML config file (default: AWS, single account, ambient credentials)')
    .option('-p, --provider <list>', 'only these providers: aws,azure,gcp')
    .option('-o, --out <dir>', 'output folder (default: output.dir from the config, else ./snapaudit-out)')
    .option('-f, --format <list>', 'output formats, comma-separated (json is always written)')
    .option('--framework <list>', `per-control compliance view in the reports: ${frameworkIds().join(', ')}`)
    .option('--demo', "scan the lab's built-in demo estate through the real SDK clients")
    .option('--estate <path>', 'with --demo: the estate file or folder the lab serves')
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when an open finding is at or above this severity (critical, high, medium, low, info, none)',
      ),
    )
    .option('--max-gap <n>', 'exit 3 when more than n scopes could not be fully read (default: config maxGap, 0)')
    .option('--shard <i/n>', 'scan only shard i of n (deterministic split of scopes; join with snapaudit merge)')
    .option('--now <iso>', 'use this time as "now" (reproducible reports)')
    .option('-q, --quiet', 'print nothing but errors')
    .option('--log-format <json|text>', 'log line format (default: text on a terminal, json otherwise)')
    .option('--no-progress', 'no progress bar on a terminal')
    .action(async (flags: ScanFlags) => setCode(await scanCommand(flags, io)));

  program
    .command('merge')
    .description('join the result.json of every --shard run into one result')
    .argument('<files...>', 'shard result files')
    .requiredOption('-o, --out <dir>', 'output folder')
    .option('-f, --format <list>', 'output formats (json is always written)')
    .action(async (files: string[], flags: { out: string; format?: string }) => {
      const { mergeCommand } = await import('./merge-command.ts');
      setCode(mergeCommand(files, flags, io));
    });

  program
    .command('report')
    .description('re-render an earlier scan result offline (html, csv, md, sarif, ocsf, junit)')
    .requiredOption('--from <file>', 'the result.json of an earlier scan')
    .option('-f, --format <list>', `output formats, comma-separated (default: ${defaultReportFormats().join(',')})`)
    .option('-o, --out <dir>', 'output folder (default: ./snapaudit-out)')
    .option('--framework <list>', `per-control compliance view: ${frameworkIds().join(', ')}`)
    .option('-q, --quiet', 'print nothing but errors')
    .action((flags: ReportFlags) => setCode(reportCommand(flags, io)));

  const lab = program.command('lab').description('the loopback cloud emulator');
  lab
    .command('serve')
    .description('serve an estate on loopback ports until interrupted')
    .requiredOption('--estate <path>', 'estate file or folder (see lab/ESTATE.md)')
    .option('--port <n>', 'port (only when serving one provider)')
    .option('--provider <list>', 'only these providers')
    .option('--latency <ms>', 'latency added to every request', '0')
    .action(async (flags: { estate: string; port?: string; provider?: string; latency: string }) => {
      const { labServeCommand } = await import('./lab-command.ts');
      setCode(await labServeCommand(flags, io));
    });

  program
    .command('checks')
    .description('the check catalogue')
    .command('list')
    .description('list every check with its severity and references')
    .option('--json', 'as JSON')
    .action((flags: { json?: boolean }) => {
      if (flags.json)
        io.stdout(
          `${JSON.stringify(
            checks.map((c) => c.meta),
            null,
            2,
          )}\n`,
        );
      else {
        for (const c of [...checks].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1))) {
          const refs = [...c.meta.references.nist, ...c.meta.references.cis].join(' ');
          io.stdout(`${c.meta.id.padEnd(42)} ${c.meta.severity.padEnd(8)} ${c.meta.title}${refs ? `  [${refs}]` : ''}\n`);
        }
      }
      setCode(ExitCode.ok);
    });

  program
    .command('config')
    .description('configuration helpers')
    .command('validate')
    .description('check a config file and report every problem')
    .argument('<file>', 'YAML config file')
    .action((file: string) => {
      loadConfigFile(resolve(io.cwd, file));
      io.stdout(`${file}: valid\n`);
      setCode(ExitCode.ok);
    });

  return program;
}

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let code: number = ExitCode.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.ok;
      return ExitCode.usage;
    }
    if (err instanceof ConfigError || err instanceof UsageError || (err as Error).name === 'EstateError') {
      io.stderr(`error: ${(err as Error).message}\n`);
      return ExitCode.usage;
    }
    io.stderr(`error: ${(err as Error).stack ?? String(err)}\n`);
    return 4;
  }
}
