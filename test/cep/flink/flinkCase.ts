// Shared vocabulary of the FlinkCEP conformance table: the case shape and the small
// builders the `<suite>.cases.ts` files use to write events, conditions and expectations.
//
// Every case ports one test method of FlinkCEP's suite
// (apache/flink, flink-libraries/flink-cep/src/test/java/org/apache/flink/cep/nfa/).
// Flink's `Event(id, name, price)` becomes
// `{ id: 'e<n>', type: name, timestamp, userId: 'u1', name, price }`, numbered in feed order.

export interface FlinkEvent {
  id: string;
  type: string;
  timestamp: number;
  userId: 'u1';
  name: string;
  price: number;
  [field: string]: unknown;
}

export interface ExpectedResult {
  kind: 'match' | 'timeout';
  /** Checked only when given. */
  timestamp?: number;
  stages: Record<string, string[]>;
}

export interface FlinkCase {
  /** `<Suite>.<testMethod>`, e.g. 'NFAITCase.testSimplePatternWithTimeWindowNFA'. */
  name: string;
  /** The Flink test file and method this case ports. */
  source: string;
  /** Pattern JSON exactly as spec §1–§7. */
  pattern: unknown;
  events: FlinkEvent[];
  expected: ExpectedResult[];
  /** True only where Flink asserts an order; otherwise results compare as multisets. */
  ordered?: boolean;
  /** True where Flink asserts the key order of the match map (spec §6: stages in pattern order). */
  stageOrder?: boolean;
  /** True where Flink expects the run to fail (`throwExceptionOnMiss`); `expected` is then empty. */
  expectError?: boolean;
  /** Where the port deviates from Flink, and why. */
  note?: string;
}

/** A fed event: label (used by `ids`), Flink name, price, event time (default: 1-based feed position), extra fields. */
export type Row = [label: string, name: string, price: number, timestamp?: number, extra?: Record<string, unknown>];

export interface Feed {
  events: FlinkEvent[];
  /** Event ids of the given labels, in the order given. Throws on an unknown label. */
  ids: (...labels: string[]) => string[];
}

export function feed(rows: Row[]): Feed {
  const byLabel = new Map<string, string>();
  const events: FlinkEvent[] = rows.map(([label, name, price, timestamp, extra], i) => {
    const id = `e${i + 1}`;
    if (byLabel.has(label)) throw new Error(`duplicate event label '${label}'`);
    byLabel.set(label, id);
    return { id, type: name, timestamp: timestamp ?? i + 1, userId: 'u1', name, price, ...extra };
  });
  const ids = (...labels: string[]): string[] =>
    labels.map((label) => {
      const id = byLabel.get(label);
      if (id === undefined) throw new Error(`unknown event label '${label}'`);
      return id;
    });
  return { events, ids };
}

// ---- conditions (spec §7) ----

/** Flink `value.getName().equals(n)`. */
export const is = (name: string) => ({ fact: 'name', operator: 'equal', value: name });
/** Flink `value.getName().contains(s)`. */
export const has = (s: string) => ({ fact: 'name', operator: 'includes', value: s });
/** Flink `value.getName().startsWith(s)`. */
export const startsWith = (s: string) => ({ fact: 'name', operator: 'startsWith', value: s });
/** Flink `value.getPrice() > p`. */
export const priceGt = (p: number) => ({ fact: 'price', operator: 'greaterThan', value: p });
export const all = (...conditions: unknown[]) => ({ all: conditions });
export const any = (...conditions: unknown[]) => ({ any: conditions });
export const not = (condition: unknown) => ({ not: condition });

/** The `$stage` fact of spec §7 (FlinkCEP `ctx.getEventsForPattern(stage)` aggregated). */
export function stageAgg(
  stage: string,
  agg: 'count' | 'sum' | 'min' | 'max' | 'avg' | 'first' | 'last',
  operator: string,
  value: unknown,
  options: { field?: string; includeCurrent?: boolean } = {},
) {
  const params: Record<string, unknown> = { stage, agg };
  if (options.field !== undefined) params.field = options.field;
  if (options.includeCurrent !== undefined) params.includeCurrent = options.includeCurrent;
  return { fact: '$stage', params, operator, value };
}

// ---- patterns (spec §1–§2) ----

/** Pattern id derived from the case name ('NFAITCase.testFoo' → 'nfaitcase.testfoo'). */
export function patternId(caseName: string): string {
  return caseName.toLowerCase().replace(/[^a-z0-9_.-]/g, '-');
}

export function pattern(caseName: string, stages: unknown[], extra: Record<string, unknown> = {}) {
  return { id: patternId(caseName), ...extra, stages };
}

// ---- expectations (spec §6) ----

export const match = (stages: Record<string, string[]>, timestamp?: number): ExpectedResult =>
  timestamp === undefined ? { kind: 'match', stages } : { kind: 'match', timestamp, stages };

export const timeout = (stages: Record<string, string[]>, timestamp: number): ExpectedResult => ({
  kind: 'timeout',
  timestamp,
  stages,
});

export const FLINK_NFA_TESTS = 'flink-libraries/flink-cep/src/test/java/org/apache/flink/cep/nfa/';

export type CaseBody = Omit<FlinkCase, 'name' | 'source'>;

/** One case named `<suite>.<method>`; `body` receives that name (for the pattern id). */
export function defineCase(suite: string, method: string, body: (name: string) => CaseBody): FlinkCase {
  const name = `${suite}.${method}`;
  return { name, source: `${FLINK_NFA_TESTS}${suite}.java#${method}`, ...body(name) };
}
