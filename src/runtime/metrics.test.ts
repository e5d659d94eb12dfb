import { describe, expect, it } from 'vitest';
import { MetricsRegistry, escapeLabelValue } from './metrics.ts';

describe('MetricsRegistry', () => {
  it('renders an unlabelled counter with HELP and TYPE, namespaced', () => {
    const r = new MetricsRegistry();
    const c = r.counter('events_total', 'Events seen.');
    c.inc();
    c.inc(2);
    expect(r.render()).toBe('# HELP argus_events_total Events seen.\n# TYPE argus_events_total counter\nargus_events_total 3\n');
  });

  it('does not prefix twice and ignores negative counter increments', () => {
    const r = new MetricsRegistry();
    const c = r.counter('argus_x_total', 'x');
    c.inc(-5);
    expect(c.value).toBe(0);
    expect(r.render()).toContain('\nargus_x_total 0\n');
  });

  it('keeps labelled children as handles and renders their label sets', () => {
    const r = new MetricsRegistry();
    const c = r.counter('http_requests_total', 'Requests.', ['route', 'status']);
    const ok = c.labels('/v1/decisions', 200);
    ok.inc();
    ok.inc();
    c.labels('/v1/decisions', '400').inc();
    expect(c.labels('/v1/decisions', '200')).toBe(ok);
    const text = r.render();
    expect(text).toContain('argus_http_requests_total{route="/v1/decisions",status="200"} 2\n');
    expect(text).toContain('argus_http_requests_total{route="/v1/decisions",status="400"} 1\n');
    expect(() => c.labels('only-one')).toThrow(RangeError);
    expect(() => c.inc()).toThrow(/labels/);
  });

  it('escapes label values and help text', () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    const r = new MetricsRegistry();
    r.gauge('g', 'line one\nback\\slash', ['k']).labels('say "hi"\n').set(1.5);
    const text = r.render();
    expect(text).toContain('# HELP argus_g line one\\nback\\\\slash\n');
    expect(text).toContain('argus_g{k="say \\"hi\\"\\n"} 1.5\n');
  });

  it('renders gauges that go up and down, and collectors run before render', () => {
    const r = new MetricsRegistry();
    const g = r.gauge('in_flight', 'In flight.');
    g.inc();
    g.inc();
    g.dec();
    let size = 0;
    const cached = r.gauge('cached_keys', 'Cached keys.');
    r.onCollect(() => cached.set(size));
    size = 42;
    const text = r.render();
    expect(text).toContain('# TYPE argus_in_flight gauge\nargus_in_flight 1\n');
    expect(text).toContain('argus_cached_keys 42\n');
  });

  it('renders histograms with cumulative buckets, +Inf, _sum and _count', () => {
    const r = new MetricsRegistry();
    const h = r.histogram('latency_seconds', 'Latency.', ['route'], [0.001, 0.01, 0.1]);
    const child = h.labels('/a');
    child.observe(0.0005);
    child.observe(0.001); // on the bound: counted in le="0.001"
    child.observe(0.05);
    child.observe(3);
    expect(r.render()).toBe(
      [
        '# HELP argus_latency_seconds Latency.',
        '# TYPE argus_latency_seconds histogram',
        'argus_latency_seconds_bucket{route="/a",le="0.001"} 2',
        'argus_latency_seconds_bucket{route="/a",le="0.01"} 2',
        'argus_latency_seconds_bucket{route="/a",le="0.1"} 3',
        'argus_latency_seconds_bucket{route="/a",le="+Inf"} 4',
        'argus_latency_seconds_sum{route="/a"} 3.0515',
        'argus_latency_seconds_count{route="/a"} 4',
        '',
      ].join('\n'),
    );
  });

  it('uses latency buckets from 100 µs to 10 s by default', () => {
    const r = new MetricsRegistry();
    r.histogram('d_seconds', 'D.').observe(0.00005);
    const text = r.render();
    expect(text).toContain('argus_d_seconds_bucket{le="0.0001"} 1\n');
    expect(text).toContain('argus_d_seconds_bucket{le="10"} 1\n');
    expect(text).toContain('argus_d_seconds_bucket{le="+Inf"} 1\n');
  });

  it('returns the same metric when declared twice alike, and refuses a conflicting declaration', () => {
    const r = new MetricsRegistry();
    const a = r.counter('c_total', 'C.', ['x']);
    expect(r.counter('c_total', 'C.', ['x'])).toBe(a);
    expect(() => r.gauge('c_total', 'C.', ['x'])).toThrow(/already declared/);
    expect(() => r.counter('c_total', 'C.', ['y'])).toThrow(/already declared/);
    expect(r.get('c_total')).toBe(a);
  });

  it('rejects invalid names, label names and buckets', () => {
    const r = new MetricsRegistry();
    expect(() => r.counter('bad-name', 'x')).toThrow(/invalid metric name/);
    expect(() => r.counter('ok', 'x', ['bad-label'])).toThrow(/invalid label name/);
    expect(() => r.histogram('h', 'x', ['le'])).toThrow(/reserved/);
    expect(() => r.histogram('h2', 'x', [], [1, 0.5])).toThrow(/increasing/);
  });

  it('renders labelled metrics without children as HELP/TYPE only', () => {
    const r = new MetricsRegistry({ namespace: '' });
    r.counter('plain_total', 'P.', ['a']);
    expect(r.render()).toBe('# HELP plain_total P.\n# TYPE plain_total counter\n');
  });
});
