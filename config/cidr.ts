/** IPv4 CIDR arithmetic shared by config validation and the VPC construct (no AWS, no cdktf). */

/** Parses a.b.c.d/n into [network as uint32, prefix]; undefined when malformed or host bits are set. */
export function parseCidr(cidr: string): [number, number] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const ip = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (ip % size !== 0) return undefined; // host bits set
  return [ip, prefix];
}

/** True for 10/8, 172.16/12 and 192.168/16 addresses. */
export function isPrivate(ip: number): boolean {
  const a = Math.floor(ip / 2 ** 24);
  const b = Math.floor(ip / 2 ** 16) % 256;
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** True when two valid CIDRs share an address; throws on a malformed one (validate first). */
export function cidrsOverlap(x: string, y: string): boolean {
  const parse = (c: string) => {
    const r = parseCidr(c);
    if (r === undefined) throw new Error(`not a CIDR: ${c}`);
    return r;
  };
  const [ax, px] = parse(x);
  const [ay, py] = parse(y);
  const ex = ax + 2 ** (32 - px);
  const ey = ay + 2 ** (32 - py);
  return ax < ey && ay < ex;
}
