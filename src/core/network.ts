/** IP addresses and CIDR blocks, for trusted networks (node:net does the parsing). */
import { BlockList, isIP } from 'node:net';

/** `203.0.113.0/24`, `2001:db8::/32`, or a single address. */
export function validCidr(text: string): boolean {
  const [net, bits, ...rest] = text.split('/');
  if (rest.length > 0 || !net) return false;
  const family = isIP(net);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** A matcher of addresses against CIDR blocks (invalid blocks are skipped: config validation refuses them first). */
export function cidrMatcher(cidrs: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const c of cidrs) {
    if (!validCidr(c)) continue;
    const [net = '', bits] = c.split('/');
    const type = isIP(net) === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(net, type);
    else list.addSubnet(net, Number(bits), type);
  }
  return (address) => {
    const family = isIP(address);
    if (family === 0) return false;
    return list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/** Is the text an IPv4 or IPv6 address (not a host name such as CloudTrail's `AWS Internal` or a service name)? */
export function isAddress(text: string): boolean {
  return isIP(text) !== 0;
}
