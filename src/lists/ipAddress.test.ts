import { describe, expect, it } from 'vitest';
import { formatIPv6, parseAddress, parseIPv4, parseIpRange, type IpRange } from './ipAddress.ts';
import { IpSet } from './IpSet.ts';

function range(text: string): IpRange {
  const r = parseIpRange(text);
  if (typeof r === 'string') throw new Error(r);
  return r;
}

function set(...items: string[]): IpSet {
  return new IpSet(items.map(range));
}

describe('IPv4 parsing', () => {
  it('reads dotted quads', () => {
    expect(parseIPv4('0.0.0.0')).toBe(0);
    expect(parseIPv4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIPv4('10.1.2.3')).toBe(0x0a010203);
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1.2.3.-1', '01.2.3.4', '1.2.3.04', '1..2.3', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.a', '1234.1.1.1', '1.2.3.4/'])(
    'refuses %j',
    (text) => expect(parseIPv4(text)).toBe(-1),
  );
});

describe('IPv6 parsing', () => {
  const words = (text: string): number[] | undefined => {
    const out = new Uint32Array(4);
    return parseAddress(text, out) ? [...out] : undefined;
  };

  it('reads full, compressed and embedded-IPv4 forms', () => {
    expect(words('2001:0db8:0000:0000:0000:0000:0000:0001')).toEqual([0x20010db8, 0, 0, 1]);
    expect(words('2001:DB8::1')).toEqual([0x20010db8, 0, 0, 1]);
    expect(words('::')).toEqual([0, 0, 0, 0]);
    expect(words('::1')).toEqual([0, 0, 0, 1]);
    expect(words('1::')).toEqual([0x00010000, 0, 0, 0]);
    expect(words('1:2:3:4:5:6:7::')).toEqual([0x00010002, 0x00030004, 0x00050006, 0x00070000]);
    expect(words('::2:3:4:5:6:7:8')).toEqual([0x00000002, 0x00030004, 0x00050006, 0x00070008]);
    expect(words('::ffff:10.1.2.3')).toEqual([0, 0, 0xffff, 0x0a010203]);
    expect(words('64:ff9b::192.0.2.1')).toEqual([0x0064ff9b, 0, 0, 0xc0000201]);
  });

  it('maps IPv4 to ::ffff:0:0/96', () => {
    expect(words('10.1.2.3')).toEqual([0, 0, 0xffff, 0x0a010203]);
  });

  it.each([
    ':', ':::', '1:2', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3', ':1::', '1:', '1:2:3:4:5:6:7:8::', '::1:2:3:4:5:6:7:8',
    '12345::', 'g::1', 'fe80::1%eth0', '::ffff:1.2.3', '1:2:3:4:5:6:7:1.2.3.4', '::1.2.3.4:5', '1.2.3.4::', '::ffff:01.2.3.4',
  ])('refuses %j', (text) => expect(words(text)).toBeUndefined());

  it('formats as RFC 5952', () => {
    const f = (t: string): string => {
      const out = new Uint32Array(4);
      parseAddress(t, out);
      return formatIPv6(out);
    };
    expect(f('2001:0DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(f('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1'); // one zero group stays
    expect(f('2001:0:0:1:0:0:0:1')).toBe('2001:0:0:1::1'); // the longest run
    expect(f('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1'); // the first of equal runs
    expect(f('::')).toBe('::');
    expect(f('1::')).toBe('1::');
  });
});

describe('list items (addresses and CIDR ranges)', () => {
  it('gives canonical text', () => {
    expect(range('10.0.0.0/8').text).toBe('10.0.0.0/8');
    expect(range('10.0.0.1/32').text).toBe('10.0.0.1');
    expect(range('2001:DB8::/32').text).toBe('2001:db8::/32');
    expect(range('::1/128').text).toBe('::1');
    expect(range('::ffff:10.0.0.0/104').text).toBe('10.0.0.0/8');
    expect(range('::ffff:a01:203').text).toBe('10.1.2.3');
    expect(range('0.0.0.0/0').text).toBe('0.0.0.0/0');
    expect(range('::/0').text).toBe('::/0');
  });

  it('refuses host bits, bad prefixes and non-addresses, saying why', () => {
    expect(parseIpRange('10.1.2.3/8')).toBe('"10.1.2.3/8" has host bits set: the range is 10.0.0.0/8');
    expect(parseIpRange('2001:db8::1/32')).toBe('"2001:db8::1/32" has host bits set: the range is 2001:db8::/32');
    expect(parseIpRange('10.0.0.0/33')).toMatch(/prefix length must be an integer from 0 to 32/);
    expect(parseIpRange('::/129')).toMatch(/from 0 to 128/);
    for (const bad of ['10.0.0.0/', '10.0.0.0/08', '10.0.0.0/-1', '10.0.0.0/8/8', '10.0.0.0/ 8']) {
      expect(parseIpRange(bad), bad).toMatch(/prefix length|not an IPv4/);
    }
    expect(parseIpRange('example.com')).toBe('"example.com" is not an IPv4/IPv6 address or CIDR range');
    expect(parseIpRange('')).toMatch(/not an IPv4/);
  });
});

describe('IpSet containment', () => {
  it('matches addresses inside ranges and exact addresses', () => {
    const s = set('10.0.0.0/8', '192.168.1.7', '2001:db8::/32');
    expect(s.has('10.0.0.0')).toBe(true);
    expect(s.has('10.255.255.255')).toBe(true);
    expect(s.has('11.0.0.0')).toBe(false);
    expect(s.has('9.255.255.255')).toBe(false);
    expect(s.has('192.168.1.7')).toBe(true);
    expect(s.has('192.168.1.8')).toBe(false);
    expect(s.has('2001:db8::1')).toBe(true);
    expect(s.has('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(s.has('2001:db9::')).toBe(false);
    expect(s.has('2001:db7:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(false);
  });

  it('/32 and /128 are single addresses', () => {
    const s = set('203.0.113.9/32', '2001:db8::5/128');
    expect(s.has('203.0.113.9')).toBe(true);
    expect(s.has('203.0.113.8')).toBe(false);
    expect(s.has('203.0.113.10')).toBe(false);
    expect(s.has('2001:db8::5')).toBe(true);
    expect(s.has('2001:db8::4')).toBe(false);
    expect(s.has('2001:db8::6')).toBe(false);
  });

  it('/0 holds every address of its family (IPv4 /0 is the IPv4-mapped space)', () => {
    const v4 = set('0.0.0.0/0');
    expect(v4.has('0.0.0.0')).toBe(true);
    expect(v4.has('255.255.255.255')).toBe(true);
    expect(v4.has('::ffff:1.2.3.4')).toBe(true);
    expect(v4.has('2001:db8::1')).toBe(false);
    const v6 = set('::/0');
    expect(v6.has('::')).toBe(true);
    expect(v6.has('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(v6.has('1.2.3.4')).toBe(true);
  });

  it('matches IPv4-mapped IPv6 addresses against IPv4 ranges, and IPv4 addresses against mapped ranges', () => {
    expect(set('10.0.0.0/8').has('::ffff:10.9.8.7')).toBe(true);
    expect(set('10.0.0.0/8').has('::FFFF:a09:807')).toBe(true);
    expect(set('10.0.0.0/8').has('::10.9.8.7')).toBe(false); // IPv4-compatible (deprecated), not mapped
    expect(set('::ffff:10.0.0.0/104').has('10.200.0.1')).toBe(true);
  });

  it('handles overlapping and nested ranges', () => {
    const s = set('10.0.0.0/8', '10.1.0.0/16', '10.255.0.0/16', '11.0.0.0/8', '10.0.0.5');
    expect(s.intervals).toBe(2);
    for (const a of ['10.0.0.0', '10.1.2.3', '10.255.255.255', '11.5.5.5']) expect(s.has(a), a).toBe(true);
    expect(s.has('12.0.0.0')).toBe(false);
    const t = set('10.1.0.0/16', '10.0.0.0/8'); // the wider range sorts first
    expect(t.has('10.200.0.0')).toBe(true);
    expect(t.intervals).toBe(1);
  });

  it('merges nested and overlapping IPv6 ranges (the general sort) and keeps IPv4 lookups exact beside them', () => {
    const s = set('2001:db8::/32', '2001:db8:1::/48', '2001:db9::/32', '2001:db8:ffff::1', 'fe80::/10', '10.0.0.0/8', '::1');
    expect(s.intervals).toBe(5); // ::1, 10.0.0.0/8, 2001:db8::/32 (holding the /48 and the address), 2001:db9::/32, fe80::/10
    for (const a of ['2001:db8::', '2001:db8:1::1', '2001:db9:ffff::', 'febf::1', '::1', '10.1.1.1', '::ffff:10.0.0.1']) expect(s.has(a), a).toBe(true);
    for (const a of ['2001:dba::', 'fec0::', '::2', '11.0.0.0', '::ffff:11.0.0.0', '9.255.255.255']) expect(s.has(a), a).toBe(false);
  });

  it('IPv6 ranges around the IPv4-mapped space: ::/80 holds every IPv4 address, its neighbours none', () => {
    expect(set('::/80').has('203.0.113.1')).toBe(true);
    expect(set('::/81').has('203.0.113.1')).toBe(false);
    expect(set('::fffe:0:0/96').has('203.0.113.1')).toBe(false);
    expect(set('::1:0:0:0/80').has('203.0.113.1')).toBe(false);
    // ::fffe:0:0/95 spans ::fffe:0:0 to ::ffff:ffff:ffff: the IPv4 part is its upper half.
    expect(set('::fffe:0:0/95').has('0.0.0.0')).toBe(true);
    expect(set('::fffe:0:0/95').has('255.255.255.255')).toBe(true);
    expect(set('::fffe:0:0/95').has('::fffe:ffff:ffff')).toBe(true);
    expect(set('::fffe:0:0/95').has('::1:0:0:0')).toBe(false);
  });

  it('is false for anything that is not an address string', () => {
    const s = set('0.0.0.0/0', '::/0');
    for (const v of [undefined, null, 167772161, {}, ['1.2.3.4'], '', '1.2.3.4/32', 'fe80::1%eth0', ' 1.2.3.4']) expect(s.has(v), String(v)).toBe(false);
    expect(new IpSet([]).has('1.2.3.4')).toBe(false);
  });

  it('agrees with a brute-force check on random IPv4 ranges', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const ranges: [number, number][] = [];
    const items: string[] = [];
    for (let i = 0; i < 60; i++) {
      const p = 8 + Math.floor(rnd() * 25);
      const mask = p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0;
      const net = (Math.floor(rnd() * 2 ** 32) & mask) >>> 0;
      ranges.push([net, (net | ~mask) >>> 0]);
      items.push(`${net >>> 24}.${(net >>> 16) & 255}.${(net >>> 8) & 255}.${net & 255}/${p}`);
    }
    const s = set(...items);
    const wrong: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const base = ranges[i % ranges.length]!;
      const a = rnd() < 0.5 ? Math.floor(rnd() * 2 ** 32) : (base[0] + Math.floor(rnd() * 3) - 1 + (rnd() < 0.5 ? 0 : base[1] - base[0])) >>> 0;
      const text = `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
      if (s.has(text) !== ranges.some(([lo, hi]) => a >= lo && a <= hi)) wrong.push(text);
    }
    expect(wrong).toEqual([]);
  });
});
