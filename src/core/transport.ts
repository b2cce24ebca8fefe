/**
 * The transport policy for every URL snapaudit sends a credential to: cloud API endpoints, the Microsoft Entra ID
 * authority, ticket systems and webhooks.
 *
 * - TLS (https), with certificate verification always on. Plain http only to this machine's loopback
 *   (127.0.0.0/8, ::1, localhost), where nothing crosses a network: the lab and local emulators.
 * - Plain http to any other host only with `allowInsecureHttp: true` beside the URL, and then with a warning on
 *   every run.
 * - Never a link-local or cloud instance-metadata address (169.254.0.0/16, fe80::/10, the metadata names and the
 *   platform addresses below): a config pointed there would hand the scanner's tokens to whatever answers, and a
 *   metadata service is where an attacker who controls a config file wants them to go.
 * - Never credentials in the URL (`https://user:password@host`): they end up in logs and error messages.
 */

export type EndpointVerdict = { ok: true; insecure: boolean } | { ok: false; problem: string; fix: string };

/** Instance-metadata and platform endpoints that are not link-local addresses (sources: each cloud's IMDS docs). */
const METADATA_HOSTS = new Set([
  'metadata.google.internal', // GCP
  'metadata.goog', // GCP
  'metadata', // GCP short name
  'instance-data', // AWS
  'instance-data.ec2.internal', // AWS
  'fd00:ec2::254', // AWS IMDS over IPv6
  '168.63.129.16', // Azure WireServer
  '100.100.100.200', // Alibaba Cloud
  '192.0.0.192', // Oracle Cloud (legacy)
]);

function ipv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

/** The eight 16-bit groups of an IPv6 address as the URL parser writes it (compressed, hex, no embedded IPv4). */
function ipv6(host: string): number[] | null {
  if (!host.includes(':') || !/^[0-9a-f:.]+$/i.test(host)) return null;
  const [head, tail, ...more] = host.split('::');
  if (more.length > 0) return null;
  const groups = (s: string | undefined) => (s ? s.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const a = groups(head);
  const b = groups(tail);
  const fill = tail === undefined ? 0 : 8 - a.length - b.length;
  const all = [...a, ...Array<number>(Math.max(0, fill)).fill(0), ...b];
  return all.length === 8 && all.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? all : null;
}

/** An IPv4 address mapped into IPv6 (`::ffff:a.b.c.d`), as its four bytes. */
function mappedIpv4(groups: number[]): number[] | null {
  if (groups.slice(0, 5).some((g) => g !== 0) || groups[5] !== 0xffff) return null;
  const [hi, lo] = [groups[6] ?? 0, groups[7] ?? 0];
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
}

function bare(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** Is the host this machine's loopback: 127.0.0.0/8, ::1 (also IPv4-mapped), or the name localhost? */
export function isLoopbackHost(hostname: string): boolean {
  const host = bare(hostname);
  if (host === 'localhost') return true;
  const v6 = ipv6(host);
  const v4 = ipv4(host) ?? (v6 ? mappedIpv4(v6) : null);
  if (v4) return v4[0] === 127;
  return v6?.slice(0, 7).every((g) => g === 0) === true && v6[7] === 1;
}

/** Is the host link-local (169.254.0.0/16, fe80::/10), unspecified (0.0.0.0, ::) or a cloud metadata endpoint? */
export function isMetadataOrLinkLocal(hostname: string): boolean {
  const host = bare(hostname).replace(/\.$/, '');
  if (METADATA_HOSTS.has(host)) return true;
  const v6 = ipv6(host);
  const v4 = ipv4(host) ?? (v6 ? mappedIpv4(v6) : null);
  if (v4) return (v4[0] === 169 && v4[1] === 254) || v4.every((b) => b === 0) || METADATA_HOSTS.has(v4.join('.'));
  if (!v6) return false;
  return (v6[0]! & 0xffc0) === 0xfe80 || v6.every((g) => g === 0) || (v6[0] === 0xfd00 && v6[1] === 0xec2 && v6[7] === 0x254);
}

/** Judges one URL a credential would be sent to. */
export function checkEndpoint(raw: string, allowInsecureHttp: boolean): EndpointVerdict {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { ok: false, problem: `"${raw}" is not a URL`, fix: 'use an absolute https:// URL' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    return { ok: false, problem: `${u.protocol} is not http(s)`, fix: 'use an https:// URL' };
  }
  if (u.username || u.password) {
    return {
      ok: false,
      problem: 'the URL carries credentials (user:password@), which would end up in logs and error messages',
      fix: 'remove them from the URL; credentials come from the environment or the SDK credential chain (see docs/security.md)',
    };
  }
  if (isMetadataOrLinkLocal(u.hostname)) {
    return {
      ok: false,
      problem: `${u.hostname} is a link-local, unspecified or cloud instance-metadata address; snapaudit never sends credentials there`,
      fix: "use the service's own endpoint",
    };
  }
  if (u.protocol === 'https:' || isLoopbackHost(u.hostname)) return { ok: true, insecure: false };
  if (allowInsecureHttp) return { ok: true, insecure: true };
  return {
    ok: false,
    problem: `plain http to ${u.hostname}, which is not this machine's loopback: credentials and results would cross the network unencrypted`,
    fix: 'use https://, or set allowInsecureHttp: true in the same section if you accept that (a warning is printed on every run)',
  };
}
