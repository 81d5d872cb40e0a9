/** Express's compiled `trust proxy` check: is the peer at this hop a trusted proxy? */
export type TrustProxyFn = (address: string | undefined, hop: number) => boolean;

const MAX_REMEMBERED = 1024;

/**
 * Express asks its `trust proxy` check on every request, at least twice (`req.secure` for the HSTS header,
 * `req.ip` for the client's address), and each call parses the address with ipaddr.js: tens of microseconds,
 * a few per cent of a webhook's CPU. The answer depends only on the address and the hop (the setting is a
 * string of addresses, ranges or a hop count, never a function), so it is remembered for the addresses seen
 * last (at most 1,024: the cache starts again when full, so no peer can grow it).
 */
export function cachedTrust(trust: TrustProxyFn, max = MAX_REMEMBERED): TrustProxyFn {
  const answers = new Map<string, boolean>();
  return (address, hop) => {
    if (address === undefined) return trust(address, hop);
    const key = `${hop} ${address}`;
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = trust(address, hop);
      if (answers.size >= max) answers.clear();
      answers.set(key, answer);
    }
    return answer;
  };
}
