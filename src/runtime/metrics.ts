/**
 * A tiny Prometheus registry (text exposition format 0.0.4), with no dependency.
 *
 * Metrics are declared once (`registry.counter(…)`); a labelled metric hands out children
 * (`counter.labels('POST', '200')`) that callers keep, so the hot path is `child.inc()`:
 * a number addition, no allocation, no lookup. Rendering walks everything at scrape time.
 */

/** Default histogram buckets for latencies, in seconds: 100 µs … 10 s. */
export const LATENCY_BUCKETS: readonly number[] = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** The Content-Type of `render()`'s output. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export type MetricType = 'counter' | 'gauge' | 'histogram';

export class CounterChild {
  value = 0;
  /** Adds `n` (default 1); a counter never goes down, so negative amounts are ignored. */
  inc(n = 1): void {
    if (n > 0) this.value += n;
  }
}

export class GaugeChild {
  value = 0;
  set(v: number): void {
    this.value = v;
  }
  inc(n = 1): void {
    this.value += n;
  }
  dec(n = 1): void {
    this.value -= n;
  }
}

export class HistogramChild {
  /** Per-bucket counts (not cumulative); the last slot is the +Inf bucket. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  private readonly bounds: readonly number[];

  constructor(bounds: readonly number[]) {
    this.bounds = bounds;
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(v: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && v > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += v;
    this.count++;
  }
}

type Child = CounterChild | GaugeChild | HistogramChild;

/** What every metric shares: name, help, label names and its children keyed by label values. */
abstract class Metric<C extends Child> {
  abstract readonly type: MetricType;
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** Children by joined label values, in creation order. */
  protected readonly children = new Map<string, { values: readonly string[]; child: C }>();
  private unlabelled: C | undefined;

  constructor(name: string, help: string, labelNames: readonly string[]) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
  }

  /** Creates the child of an unlabelled metric; subclasses call it once they are fully built. */
  protected init(): void {
    if (this.labelNames.length === 0) {
      this.unlabelled = this.create();
      this.children.set('', { values: [], child: this.unlabelled });
    }
  }

  protected abstract create(): C;

  /** The child for these label values (one per label name, in order). Keep it: it is the hot-path handle. */
  labels(...values: (string | number)[]): C {
    if (values.length !== this.labelNames.length) {
      throw new RangeError(`metric ${this.name} takes ${this.labelNames.length} label value(s) (${this.labelNames.join(', ')}), got ${values.length}`);
    }
    const key = values.length === 1 ? String(values[0]) : values.join('\u0000');
    const found = this.children.get(key);
    if (found !== undefined) return found.child;
    const child = this.create();
    this.children.set(key, { values: values.map(String), child });
    return child;
  }

  /** The child of an unlabelled metric. */
  protected get root(): C {
    if (this.unlabelled === undefined) throw new RangeError(`metric ${this.name} has labels (${this.labelNames.join(', ')}): use labels(…)`);
    return this.unlabelled;
  }

  /** Forgets every labelled child (unlabelled metrics are reset to zero instead). */
  reset(): void {
    this.children.clear();
    this.init();
  }

  render(out: string[]): void {
    out.push(`# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${this.type}\n`);
    for (const { values, child } of this.children.values()) this.renderChild(out, labelText(this.labelNames, values), child);
  }

  protected abstract renderChild(out: string[], labels: string, child: C): void;
}

export class Counter extends Metric<CounterChild> {
  readonly type = 'counter';
  constructor(name: string, help: string, labelNames: readonly string[]) {
    super(name, help, labelNames);
    this.init();
  }
  protected create(): CounterChild {
    return new CounterChild();
  }
  inc(n = 1): void {
    this.root.inc(n);
  }
  get value(): number {
    return this.root.value;
  }
  protected renderChild(out: string[], labels: string, child: CounterChild): void {
    out.push(`${this.name}${braces(labels)} ${formatValue(child.value)}\n`);
  }
}

export class Gauge extends Metric<GaugeChild> {
  readonly type = 'gauge';
  constructor(name: string, help: string, labelNames: readonly string[]) {
    super(name, help, labelNames);
    this.init();
  }
  protected create(): GaugeChild {
    return new GaugeChild();
  }
  set(v: number): void {
    this.root.set(v);
  }
  inc(n = 1): void {
    this.root.inc(n);
  }
  dec(n = 1): void {
    this.root.dec(n);
  }
  get value(): number {
    return this.root.value;
  }
  protected renderChild(out: string[], labels: string, child: GaugeChild): void {
    out.push(`${this.name}${braces(labels)} ${formatValue(child.value)}\n`);
  }
}

export class Histogram extends Metric<HistogramChild> {
  readonly type = 'histogram';
  readonly buckets: readonly number[];
  private readonly leTexts: readonly string[];

  constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]) {
    super(name, help, labelNames);
    this.buckets = buckets;
    this.leTexts = [...buckets.map(formatValue), '+Inf'];
    this.init();
  }

  protected create(): HistogramChild {
    return new HistogramChild(this.buckets);
  }
  observe(v: number): void {
    this.root.observe(v);
  }
  protected renderChild(out: string[], labels: string, child: HistogramChild): void {
    const sep = labels === '' ? '' : ',';
    let cumulative = 0;
    for (let i = 0; i < this.leTexts.length; i++) {
      cumulative += child.counts[i]!;
      out.push(`${this.name}_bucket{${labels}${sep}le="${this.leTexts[i]}"} ${formatValue(cumulative)}\n`);
    }
    out.push(`${this.name}_sum${braces(labels)} ${formatValue(child.sum)}\n`);
    out.push(`${this.name}_count${braces(labels)} ${formatValue(child.count)}\n`);
  }
}

export interface MetricsRegistryOptions {
  /** Prefix added to every name that does not already carry it (default `argus`). Empty: none. */
  namespace?: string;
}

/**
 * The set of metrics of one process. Declaring the same name twice with the same type and
 * labels returns the existing metric (so an engine restarted in-process keeps counting);
 * declaring it differently throws.
 */
export class MetricsRegistry {
  readonly namespace: string;
  private readonly metrics = new Map<string, Counter | Gauge | Histogram>();
  private readonly collectors: (() => void)[] = [];

  constructor(options: MetricsRegistryOptions = {}) {
    this.namespace = options.namespace ?? 'argus';
  }

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.register(name, 'counter', labelNames, (full) => new Counter(full, help, labelNames)) as Counter;
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    return this.register(name, 'gauge', labelNames, (full) => new Gauge(full, help, labelNames)) as Gauge;
  }

  histogram(name: string, help: string, labelNames: readonly string[] = [], buckets: readonly number[] = LATENCY_BUCKETS): Histogram {
    for (let i = 0; i < buckets.length; i++) {
      if (!Number.isFinite(buckets[i]!) || (i > 0 && buckets[i]! <= buckets[i - 1]!)) {
        throw new RangeError(`histogram ${name}: buckets must be finite and strictly increasing`);
      }
    }
    if (labelNames.includes('le')) throw new RangeError(`histogram ${name}: "le" is reserved`);
    return this.register(name, 'histogram', labelNames, (full) => new Histogram(full, help, labelNames, buckets)) as Histogram;
  }

  /** Runs `fn` before every render: the place to set gauges computed on demand (cache sizes, …). */
  onCollect(fn: () => void): void {
    this.collectors.push(fn);
  }

  /** A declared metric by name (with or without the namespace). */
  get(name: string): Counter | Gauge | Histogram | undefined {
    return this.metrics.get(this.fullName(name));
  }

  /** The whole registry in Prometheus text format 0.0.4. */
  render(): string {
    for (const fn of this.collectors) fn();
    const out: string[] = [];
    for (const metric of this.metrics.values()) metric.render(out);
    return out.join('');
  }

  private fullName(name: string): string {
    if (this.namespace === '' || name.startsWith(`${this.namespace}_`)) return name;
    return `${this.namespace}_${name}`;
  }

  private register(
    name: string,
    type: MetricType,
    labelNames: readonly string[],
    make: (fullName: string) => Counter | Gauge | Histogram,
  ): Counter | Gauge | Histogram {
    const full = this.fullName(name);
    if (!NAME_RE.test(full)) throw new RangeError(`invalid metric name ${JSON.stringify(full)}`);
    for (const l of labelNames) {
      if (!LABEL_RE.test(l) || l.startsWith('__')) throw new RangeError(`metric ${full}: invalid label name ${JSON.stringify(l)}`);
    }
    const existing = this.metrics.get(full);
    if (existing !== undefined) {
      if (existing.type !== type || existing.labelNames.join(',') !== labelNames.join(',')) {
        throw new RangeError(`metric ${full} is already declared as a ${existing.type} with labels (${existing.labelNames.join(', ')})`);
      }
      return existing;
    }
    const metric = make(full);
    this.metrics.set(full, metric);
    return metric;
  }
}

/** Label values: backslash, double quote and line feed are escaped. */
export function escapeLabelValue(v: string): string {
  if (!/[\\"\n]/.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text: backslash and line feed are escaped. */
function escapeHelp(v: string): string {
  if (!/[\\\n]/.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function labelText(names: readonly string[], values: readonly string[]): string {
  let out = '';
  for (let i = 0; i < names.length; i++) {
    if (i > 0) out += ',';
    out += `${names[i]}="${escapeLabelValue(values[i]!)}"`;
  }
  return out;
}

function braces(labels: string): string {
  return labels === '' ? '' : `{${labels}}`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
