/**
 * Lists benchmark: what a condition pays to look a fact up in a named list.
 *
 *   node --import tsx bench/lists.bench.ts
 *
 * 1. `{"list": …}` string list against the same items written as a literal `in` array (the
 *    compiler's Set fast path): the list adds one call through the live reference.
 * 2. `ip` lists of 10 / 1,000 / 100,000 CIDR ranges: IpSet (parse + binary search, no allocation)
 *    against a linear scan of the same parsed ranges (the obvious implementation), on the same
 *    seeded addresses (half inside a range). Results are checked equal before timing.
 * Timed in interleaved chunks, so both sides see the same machine load.
 */
import { compileCondition } from '../src/conditions/index.ts';
import { ListRegistry, parseAddress, parseIpRange, type IpRange } from '../src/lists/index.ts';
import { mulberry32 } from './lib/random.ts';


const quad = (a: number): string => `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;

/** Runs `a` and `b` over `inputs` in interleaved chunks; returns lookups/s of each. */
function race(inputs: unknown[], a: (v: unknown) => boolean, b: (v: unknown) => boolean, rounds = 10): [number, number] {
  let ta = 0;
  let tb = 0;
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    let t = process.hrtime.bigint();
    for (let i = 0; i < inputs.length; i++) if (a(inputs[i])) sink++;
    ta += Number(process.hrtime.bigint() - t);
    t = process.hrtime.bigint();
    for (let i = 0; i < inputs.length; i++) if (b(inputs[i])) sink++;
    tb += Number(process.hrtime.bigint() - t);
  }
  if (sink < 0) console.log(sink);
  const n = inputs.length * rounds;
  return [(n / ta) * 1e9, (n / tb) * 1e9];
}

const fmt = (x: number): string => `${(x / 1e6).toFixed(2)} M/s`;

// ---------------------------------------------------------------- 1. string list vs literal `in`
{
  const rnd = mulberry32(1);
  const items = Array.from({ length: 1000 }, (_, i) => `dev_${i.toString(16)}`);
  const lists = new ListRegistry();
  lists.load([{ file: 'bench/devices.json', text: JSON.stringify({ description: '', kind: 'string', items }) }]);
  const viaList = compileCondition<Record<string, unknown>>({ fact: 'device', operator: 'in', value: { list: 'devices' } }, { list: lists.hook });
  const literal = compileCondition<Record<string, unknown>>({ fact: 'device', operator: 'in', value: items });
  const facts = Array.from({ length: 200_000 }, () => ({ device: `dev_${Math.floor(rnd() * 2000).toString(16)}` }));
  for (const f of facts) if (viaList(f) !== literal(f)) throw new Error(`disagree on ${f.device}`);
  const [l, s] = race(facts, viaList as (v: unknown) => boolean, literal as (v: unknown) => boolean);
  console.log(`string list (1,000 items): {list} ${fmt(l)}   literal in-array ${fmt(s)}   ratio ${(l / s).toFixed(2)}`);
}

// ---------------------------------------------------------------- 2. ip lists vs linear scan
for (const size of [10, 1000, 100_000]) {
  const rnd = mulberry32(size);
  const ranges: IpRange[] = [];
  const texts: string[] = [];
  for (let i = 0; i < size; i++) {
    const p = 12 + Math.floor(rnd() * 21);
    const mask = (0xffffffff << (32 - p)) >>> 0;
    const r = parseIpRange(`${quad((Math.floor(rnd() * 2 ** 32) & mask) >>> 0)}/${p}`) as IpRange;
    ranges.push(r);
    texts.push(r.text);
  }
  const lists = new ListRegistry();
  lists.load([{ file: 'bench/ips.json', text: JSON.stringify({ description: '', kind: 'ip', items: texts }) }]);
  const ref = lists.ref('ips')!;
  const probe = new Uint32Array(4);
  const linear = (v: unknown): boolean => {
    if (typeof v !== 'string' || !parseAddress(v, probe)) return false;
    for (const r of ranges) {
      let inside = true;
      for (let k = 0; k < 4 && inside; k++) {
        const bits = r.prefix - 32 * k;
        const m = bits <= 0 ? 0 : bits >= 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
        if (((probe[k]! & m) >>> 0) !== r.words[k]) inside = false;
      }
      if (inside) return true;
    }
    return false;
  };
  const count = size >= 100_000 ? 2_000 : 100_000;
  const addresses = Array.from({ length: count }, (_, i) => {
    if (i % 2 === 0) return quad(Math.floor(rnd() * 2 ** 32));
    const r = ranges[Math.floor(rnd() * ranges.length)]!;
    return quad((r.words[3]! + Math.floor(rnd() * 2 ** (128 - r.prefix))) >>> 0);
  });
  for (const a of addresses) if (ref.has(a) !== linear(a)) throw new Error(`disagree on ${a}`);
  const [s, l] = race(addresses, (v) => ref.has(v), linear, size >= 100_000 ? 3 : 10);
  console.log(`ip list (${size.toLocaleString('en')} ranges): IpSet ${fmt(s)}   linear scan ${fmt(l)}   ratio ${(s / l).toFixed(1)}`);
  const t = process.hrtime.bigint();
  lists.add('ips', ['203.0.113.7']);
  console.log(`  one API add, index rebuilt: ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(1)} ms`);
}
