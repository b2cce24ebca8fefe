/**
 * The snapaudit command line. `main(argv, io)` returns the exit code instead of exiting, so tests drive it
 * in-process; bin/snapaudit.js is the only place that calls process.exit.
 */
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { outputFormats, reportDefaultFormats } from '../../reports/formats.ts';
import { frameworkIds } from '../core/frameworks/index.ts';
import { scrubSecrets } from '../core/secrets.ts';
import { TOOL_VERSION } from '../core/version.ts';
import { exitCodeOfError } from './errors.ts';
import { type CliIo, ExitCode, processIo, terminalSafeIo } from './io.ts';
import type { ReportFlags } from './report-command.ts';
import type { ScanFlags } from './scan-command.ts';

// Each command loads what it runs when it runs: the scan's engine and providers, the check registry, the renderers
// and the state store are not loaded to parse a command line (nor, for a scan, before its first request needs them).

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
    .option('-f, --format <list>', `output formats, comma-separated: ${outputFormats.join(', ')} (json is always written)`)
    .option('--framework <list>', `per-control compliance view in the reports: ${frameworkIds().join(', ')}`)
    .option(
      '--demo',
      "scan the lab's built-in demo organisation through the real SDK clients (with --config: the config's baseline, suppressions, checks and output apply; exit 0 unless --fail-on)",
    )
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
    .option('-q, --quiet', 'print nothing but errors (and the warning for plain-http endpoints)')
    .option('--log-format <json|text>', 'log line format (default: text on a terminal, json otherwise)')
    .option('--no-progress', 'no progress bar on a terminal')
    .option('--state <file>', 'state store file (default: state.path from the config, else .snapaudit/state.sqlite)')
    .option('--no-state', 'do not read or record scan history')
    .option('--no-tickets', 'do not sync tickets after the scan, even when tickets.enabled')
    .option(
      '--memory-budget <MiB>',
      'memory budget: V8 heap sized for it (default: scan.memoryBudgetMiB, else 512 when every output streams)',
    )
    .action(async (flags: ScanFlags) => {
      const { scanCommand } = await import('./scan-command.ts');
      setCode(await scanCommand(flags, io));
    });

  program
    .command('schedule')
    .description('scan on a cron schedule until stopped (SIGINT/SIGTERM); takes every `scan` option as well')
    .requiredOption('--cron <expr>', 'cron expression: "15 2 * * *" (5 fields), or 6 with seconds')
    .option('--timezone <tz>', 'IANA time zone for the expression (default: the system time zone)')
    .option('--run-now', 'also run once immediately')
    .option('--max-runs <n>', "stop after n runs and exit with the last run's exit code")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (flags: { cron: string; timezone?: string; runNow?: boolean; maxRuns?: string }, cmd: Command) => {
      const scan = program.commands.find((c) => c.name() === 'scan')!;
      const { operands, unknown } = scan.parseOptions(cmd.args);
      if (operands.length > 0 || unknown.length > 0) {
        const { UsageError } = await import('./io.ts');
        throw new UsageError(`schedule: "${unknown[0] ?? operands[0]}" is not a scan option. Fix: see snapaudit scan --help.`);
      }
      const { scheduleCommand } = await import('./schedule-command.ts');
      setCode(await scheduleCommand({ ...(scan.opts() as ScanFlags), ...flags }, io));
    });

  program
    .command('diff')
    .description('what changed between two recorded scans (default: the last two)')
    .option('--from <id>', 'the earlier scan: id, unique id prefix, or #seq (default: the scan before --to)')
    .option('--to <id>', 'the later scan (default: the latest)')
    .option('--json', 'as JSON')
    .option('-c, --config <file>', 'YAML config (for state.path)')
    .option('--state <file>', 'state store file')
    .action(async (flags) => {
      const { diffCommand } = await import('./diff-command.ts');
      setCode(diffCommand(flags, io));
    });

  const tickets = program.command('tickets').description('ticket systems (Jira, GitHub Issues, ServiceNow, webhook)');
  tickets
    .command('sync')
    .description('open, comment, close and reopen tickets to match the latest scan in the state store')
    .requiredOption('-c, --config <file>', 'YAML config with the tickets section')
    .option('--state <file>', 'state store file')
    .option('--dry-run', 'print the plan; send and record nothing')
    .option('--reconcile', "first rebuild the ledger from the ticket system's open snapaudit tickets (webhook: send the reconcile event)")
    .option(
      '--close-unknown',
      'with --reconcile: close open snapaudit tickets this state store does not know, after a scan that read everything',
    )
    .option('-q, --quiet', 'print nothing but errors')
    .option('--log-format <json|text>', 'log line format (default: text on a terminal, json otherwise)')
    .action(async (flags) => {
      const { ticketsSyncCommand } = await import('./tickets-command.ts');
      setCode(await ticketsSyncCommand(flags, io));
    });
  tickets
    .command('export')
    .description('print, as JSON, the state every ticket should be in after the latest scan (for a receiver to diff)')
    .requiredOption('-c, --config <file>', 'YAML config with the tickets section')
    .option('--state <file>', 'state store file')
    .action(async (flags) => {
      const { ticketsExportCommand } = await import('./tickets-command.ts');
      setCode(ticketsExportCommand(flags, io));
    });

  program
    .command('history')
    .description('the scans recorded in the state store')
    .option('--json', 'as JSON')
    .option('-c, --config <file>', 'YAML config (for state.path)')
    .option('--state <file>', 'state store file')
    .action(async (flags) => {
      const { historyCommand } = await import('./diff-command.ts');
      setCode(historyCommand(flags, io));
    });

  program
    .command('merge')
    .description('join the result.json of every --shard run into one result')
    .argument('<files...>', 'shard result files')
    .requiredOption('-o, --out <dir>', 'output folder')
    .option('-f, --format <list>', `output formats, comma-separated: ${outputFormats.join(', ')} (json is always written)`)
    .option('--memory-budget <MiB>', 'memory budget: V8 heap sized for it (default: 512 when every output streams)')
    .action(async (files: string[], flags: { out: string; format?: string; memoryBudget?: string }) => {
      const { mergeCommand } = await import('./merge-command.ts');
      setCode(await mergeCommand(files, flags, io));
    });

  program
    .command('report')
    .description('re-render an earlier scan result offline (html, csv, md, sarif, ocsf, junit)')
    .requiredOption('--from <file>', 'the result.json of an earlier scan')
    .option('-f, --format <list>', `output formats, comma-separated (default: ${reportDefaultFormats.join(',')})`)
    .option('-o, --out <dir>', 'output folder (default: ./snapaudit-out)')
    .option('--framework <list>', `per-control compliance view: ${frameworkIds().join(', ')}`)
    .option('-q, --quiet', 'print nothing but errors')
    .option('--memory-budget <MiB>', 'memory budget: V8 heap sized for it (default: 512 when every output streams)')
    .action(async (flags: ReportFlags) => {
      const { reportCommand } = await import('./report-command.ts');
      setCode(await reportCommand(flags, io));
    });

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
    .action(async (flags: { json?: boolean }) => {
      const { checks } = await import('../../checks/index.ts');
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
    .action(async (file: string) => {
      const [{ knownChecks }, { loadConfigFile }, { checkScanConfig }, { applyTlsTrust }] = await Promise.all([
        import('../../checks/index.ts'),
        import('../core/config/load.ts'),
        import('./scan-command.ts'),
        import('./transport.ts'),
      ]);
      const config = loadConfigFile(resolve(io.cwd, file), knownChecks);
      applyTlsTrust(config, io);
      const providers = checkScanConfig(config);
      io.stdout(`${file}: valid (providers: ${providers.join(', ')})\n`);
      setCode(ExitCode.ok);
    });

  return program;
}

export async function main(argv: readonly string[], rawIo: CliIo = processIo()): Promise<number> {
  const io = terminalSafeIo(rawIo);
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
    const code = exitCodeOfError(err);
    // An operator's mistake is one message; anything else is a bug, with its stack (scrubbed) for the report.
    io.stderr(`error: ${code === ExitCode.internal ? scrubSecrets((err as Error).stack ?? String(err)) : (err as Error).message}\n`);
    return code;
  }
}
