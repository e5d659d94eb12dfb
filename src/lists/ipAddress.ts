/**
 * IPv4 and IPv6 addresses and CIDR ranges, without a dependency. Every address is held as 128
 * bits in four 32-bit words (big-endian word order); an IPv4 address is its IPv4-mapped IPv6 form
 * `::ffff:a.b.c.d` (RFC 4291 §2.5.5.2), so `10.0.0.0/8` is `::ffff:10.0.0.0/104` and an IPv4 range
 * contains the mapped form of its addresses.
 *
 * Accepted text: dotted-quad IPv4 (each part 0–255, no leading zeros: `010.0.0.1` is ambiguous
 * and refused), RFC 4291 IPv6 (`::` at most once, 1–4 hex digits per group, an embedded IPv4 in
 * the last 32 bits), optionally `/prefix` for a range. Zone ids (`fe80::1%eth0`) are refused.
 */

/** A parsed list item: the network's first address and its prefix length, both in 128-bit form. */
export interface IpRange {
  /** Four 32-bit words of the network address (host bits zero). */
  readonly words: Uint32Array;
  /** Prefix length in the 128-bit space (an IPv4 `/8` is 104). */
  readonly prefix: number;
  /** Whether the range lies in the IPv4-mapped space and is written as IPv4. */
  readonly v4: boolean;
  /** Canonical text: `10.0.0.0/8`, `1.2.3.4`, `2001:db8::/32`, `::1`. */
  readonly text: string;
}

/** Parse scratch: the hot path parses a fact value into it without allocating. */
const groups = new Uint16Array(8);

/** Parses dotted-quad IPv4 text in `s[from, to)`; returns the address as an unsigned 32-bit number, or -1. */
export function parseIPv4(s: string, from = 0, to = s.length): number {
  let value = 0;
  let parts = 0;
  let i = from;
  while (parts < 4) {
    const begin = i;
    let part = 0;
    while (i < to) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      part = part * 10 + d;
      i++;
    }
    const len = i - begin;
    if (len === 0 || len > 3 || part > 255 || (len > 1 && s.charCodeAt(begin) === 48)) return -1;
    value = value * 256 + part;
    parts++;
    if (parts < 4) {
      if (i >= to || s.charCodeAt(i) !== 46 /* . */) return -1;
      i++;
    }
  }
  return i === to ? value : -1;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Parses IPv6 text in `s[from, to)` into `out[o..o+3]`; false if it is not an IPv6 address. */
export function parseIPv6(s: string, from: number, to: number, out: Uint32Array, o: number): boolean {
  let n = 0; // groups parsed
  let gap = -1; // group index where "::" stands
  let i = from;
  if (i >= to) return false;
  if (s.charCodeAt(i) === 58 /* : */) {
    if (i + 1 >= to || s.charCodeAt(i + 1) !== 58) return false;
    gap = 0;
    i += 2;
  }
  while (i < to) {
    if (n === 8) return false;
    let j = i;
    let v = 0;
    while (j < to) {
      const d = hexDigit(s.charCodeAt(j));
      if (d < 0) break;
      v = v * 16 + d;
      j++;
    }
    if (j < to && s.charCodeAt(j) === 46 /* . */) {
      // An embedded IPv4 address: the last 32 bits.
      if (n > 6) return false;
      const v4 = parseIPv4(s, i, to);
      if (v4 < 0) return false;
      groups[n++] = v4 >>> 16;
      groups[n++] = v4 & 0xffff;
      i = to;
      break;
    }
    const len = j - i;
    if (len === 0 || len > 4) return false;
    groups[n++] = v;
    if (j === to) {
      i = j;
      break;
    }
    if (s.charCodeAt(j) !== 58) return false;
    j++;
    if (j < to && s.charCodeAt(j) === 58) {
      if (gap >= 0) return false;
      gap = n;
      j++;
    } else if (j === to) return false; // a trailing single ":"
    i = j;
  }
  if (gap < 0) {
    if (n !== 8) return false;
  } else {
    if (n > 7) return false; // "::" stands for at least one group
    const tail = n - gap;
    for (let k = 0; k < tail; k++) groups[7 - k] = groups[n - 1 - k]!;
    for (let k = gap; k < 8 - tail; k++) groups[k] = 0;
  }
  for (let k = 0; k < 4; k++) out[o + k] = ((groups[2 * k]! << 16) | groups[2 * k + 1]!) >>> 0;
  return true;
}

/**
 * Parses an IPv4 or IPv6 address (no prefix) into `out[o..o+3]`, IPv4 as its mapped form.
 * Allocation-free: used on every lookup.
 */
export function parseAddress(s: string, out: Uint32Array, o = 0): boolean {
  if (s.indexOf(':') >= 0) return parseIPv6(s, 0, s.length, out, o);
  const v4 = parseIPv4(s, 0, s.length);
  if (v4 < 0) return false;
  out[o] = 0;
  out[o + 1] = 0;
  out[o + 2] = 0xffff;
  out[o + 3] = v4;
  return true;
}

/** Whether 128-bit words are in the IPv4-mapped space `::ffff:0:0/96`. */
function isMapped(w: Uint32Array): boolean {
  return w[0] === 0 && w[1] === 0 && w[2] === 0xffff;
}

/** The 32-bit mask of word `k` (0–3) for a 128-bit prefix length. */
export function wordMask(prefix: number, k: number): number {
  const bits = prefix - 32 * k;
  if (bits <= 0) return 0;
  if (bits >= 32) return 0xffffffff;
  return (0xffffffff << (32 - bits)) >>> 0;
}

/**
 * Parses a list item: an address or a CIDR range. Returns the range, or a message saying why the
 * text is not one (host bits set, prefix out of range, not an address).
 */
export function parseIpRange(text: string): IpRange | string {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const v6Text = addr.indexOf(':') >= 0;
  const words = new Uint32Array(4);
  if (!parseAddress(addr, words)) {
    return `${JSON.stringify(text)} is not an IPv4/IPv6 address or CIDR range`;
  }
  let prefix = 128;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    const max = v6Text ? 128 : 32;
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > max) {
      return `${JSON.stringify(text)}: the prefix length must be an integer from 0 to ${max}`;
    }
    prefix = v6Text ? Number(p) : 96 + Number(p);
  }
  let hostBits = false;
  for (let k = 0; k < 4; k++) if ((words[k]! & ~wordMask(prefix, k)) !== 0) hostBits = true;
  const v4 = isMapped(words) && prefix >= 96;
  if (hostBits) {
    const net = new Uint32Array(4);
    for (let k = 0; k < 4; k++) net[k] = (words[k]! & wordMask(prefix, k)) >>> 0;
    return `${JSON.stringify(text)} has host bits set: the range is ${formatRange(net, prefix, v4)}`;
  }
  return { words, prefix, v4, text: formatRange(words, prefix, v4) };
}

/** Canonical text of a range: IPv4 dotted quads for the mapped space, RFC 5952 IPv6 otherwise; no `/32` or `/128`. */
export function formatRange(words: Uint32Array, prefix: number, v4: boolean): string {
  if (v4) {
    const a = words[3]!;
    const s = `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
    return prefix === 128 ? s : `${s}/${prefix - 96}`;
  }
  const s = formatIPv6(words);
  return prefix === 128 ? s : `${s}/${prefix}`;
}

/** RFC 5952: lowercase, no leading zeros, the longest run (first on a tie) of two or more zero groups as `::`. */
export function formatIPv6(words: Uint32Array): string {
  const g: number[] = [];
  for (let k = 0; k < 4; k++) g.push(words[k]! >>> 16, words[k]! & 0xffff);
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string => g.slice(from, to).map((x) => x.toString(16)).join(':');
  if (bestAt < 0) return hex(0, 8);
  return `${hex(0, bestAt)}::${hex(bestAt + bestLen, 8)}`;
}
