/**
 * Transport trust for a run: certificate verification stays on, the config's extra CA file is trusted, and the
 * plain-http URLs `allowInsecureHttp` lets through are warned about on every run. The URL policy itself is applied
 * when the config is loaded (src/core/config/transport.ts).
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import tls from 'node:tls';
import { ConfigError } from '../core/config/load.ts';
import { type Config, insecureEndpoints } from '../core/config/schema.ts';
import { insecureWarning } from '../core/config/transport.ts';
import { createLogger } from '../engine/log.ts';
import type { CliIo } from './io.ts';

const PEM_CERT = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM file, each checked to parse as X.509. */
function readCaFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([
      `tls.caFile: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)}). Fix: give a readable PEM file of CA certificates.`,
    ]);
  }
  const pems = text.match(PEM_CERT) ?? [];
  for (const pem of pems) {
    try {
      new X509Certificate(pem);
    } catch (err) {
      throw new ConfigError([
        `tls.caFile: ${path} holds a certificate that does not parse (${(err as Error).message}). Fix: give PEM CA certificates.`,
      ]);
    }
  }
  if (pems.length === 0) {
    throw new ConfigError([`tls.caFile: ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----). Fix: give PEM CA certificates.`]);
  }
  return pems;
}

/**
 * Refuses a process with certificate verification turned off, and adds `tls.caFile` to the CA certificates every
 * TLS connection of the process trusts (the system's stay). Throws ConfigError (exit 2) before anything runs.
 */
export function applyTlsTrust(config: Config, io: CliIo): void {
  if (io.env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {
    throw new ConfigError([
      'NODE_TLS_REJECT_UNAUTHORIZED=0 turns certificate verification off for every connection; snapaudit does not send credentials that way. Fix: unset it, and trust a private or proxy CA with tls.caFile in the config (see docs/security.md).',
    ]);
  }
  const caFile = config.tls.caFile;
  if (!caFile) return;
  const pems = readCaFile(resolve(io.cwd, caFile));
  if (typeof tls.setDefaultCACertificates !== 'function') {
    throw new ConfigError([
      'tls.caFile needs Node.js 22.19 or later (tls.setDefaultCACertificates). Fix: upgrade Node.js, or export NODE_EXTRA_CA_CERTS=<the file> instead.',
    ]);
  }
  const current = tls.getCACertificates('default');
  tls.setDefaultCACertificates([...new Set([...current, ...pems])]);
}

/**
 * One warning per plain-http URL on every run — logged at warn level whatever --quiet says, because a scheduled run
 * (quiet) is exactly where nobody would otherwise notice.
 */
export function warnInsecureTransport(
  config: Config,
  io: CliIo,
  opts: { providers: readonly string[]; tickets: boolean; logFormat: 'json' | 'text' },
): void {
  const list = insecureEndpoints(config, opts);
  if (list.length === 0) return;
  const log = createLogger({ format: opts.logFormat, level: 'warn', write: io.stderr, now: () => new Date() });
  for (const e of list) log.warn('transport.insecure', { field: e.field, url: e.url, message: insecureWarning(e) });
}
