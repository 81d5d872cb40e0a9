import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network a login attempt is counted against: the IPv4 address itself (an IPv4-mapped IPv6 address is
 * read as IPv4), or the /64 prefix of an IPv6 address, since one IPv6 host usually owns a whole /64 and could
 * otherwise change its address for every attempt. Anything unreadable is counted as itself.
 */
export function clientNetwork(ip: string): string {
  const address = ip.trim().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(address)) return address || 'unknown';
  const [headText, tailText] = address.includes('::') ? address.split('::') : [address, undefined];
  const groupsOf = (text: string | undefined): string[] =>
    text ? text.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group])) : [];
  const head = groupsOf(headText);
  const tail = groupsOf(tailText);
  const groups = [...head, ...Array<string>(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
