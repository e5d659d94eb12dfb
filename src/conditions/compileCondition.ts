import { ConditionError, type ValidationIssue } from '../errors.ts';
import { compileOwnPath } from './ownPath.ts';
import { compileSteps, parseJsonPath, type PathGetter } from './jsonPath.ts';
import {
  BASE_OPERATORS,
  DECORATORS,
  DECORATOR_NAMES,
  OPERATOR_NAMES,
  isNumberLike,
  matchesOperator,
  type DecoratorName,
  type OperatorFn,
} from './operators.ts';
import type { Accessor, CompileOptions, FactRef, ListRef, Predicate } from './types.ts';

type Path = (string | number)[];

const hasOwn = Object.prototype.hasOwnProperty;
const BOOLEAN_KEYS = ['all', 'any', 'not'] as const;
const BOOLEAN_ALLOWED = new Set(['all', 'any', 'not', 'priority', 'name']);
const LEAF_ALLOWED = new Set(['fact', 'operator', 'value', 'path', 'params', 'priority', 'name']);
const REF_ALLOWED = new Set(['fact', 'path', 'params']);
const NUMERIC = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);
const STRINGY = new Set(['startsWith', 'endsWith', 'includes', 'matches']);
const VALUE_DECORATORS = new Set<DecoratorName>(['someValue', 'everyValue', 'swap']);
/** Above this many entries, a literal `in` list of primitives is looked up in a Set. */
const SET_THRESHOLD = 8;

const TRUE: Predicate<any> = () => true;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

/**
 * Compiles a json-rules-engine condition (spec/patterns.md §7) into a synchronous predicate.
 * Every problem in the tree is collected; if there is any, a `ConditionError` is thrown whose
 * issues carry the path inside the condition, prefixed by `options.path`.
 */
export function compileCondition<C = unknown>(condition: unknown, options: CompileOptions<C> = {}): Predicate<C> {
  const compiler = new Compiler<C>(options);
  const predicate = compiler.node(condition, options.path ? options.path.slice() : []);
  if (compiler.issues.length > 0) throw new ConditionError(compiler.issues, { file: options.file });
  return predicate;
}

/** The default fact accessor: `fact` is a dot path into the context object (own properties only). */
export function defaultFactAccessor<C>(ref: FactRef): Accessor<C> {
  return compileOwnPath(ref.fact.split('.')) as Accessor<C>;
}

class Compiler<C> {
  readonly issues: ValidationIssue[] = [];
  private readonly factBuilder: (ref: FactRef, at: Path) => Accessor<C>;
  private readonly listResolver: ((name: string, at: Path) => ListRef) | undefined;

  constructor(options: CompileOptions<C>) {
    this.factBuilder = options.fact ?? defaultFactAccessor;
    this.listResolver = options.list;
  }

  private issue(path: Path, message: string): void {
    this.issues.push({ path, message });
  }

  node(node: unknown, at: Path): Predicate<C> {
    if (!isPlainObject(node)) {
      this.issue(at, `must be a condition object (all, any, not, or fact/operator/value), got ${describe(node)}`);
      return TRUE;
    }
    const bools = BOOLEAN_KEYS.filter((k) => hasOwn.call(node, k));
    if (bools.length > 1) {
      this.issue(at, `has ${bools.join(' and ')}: a condition has exactly one of all, any, not`);
      return TRUE;
    }
    if (hasOwn.call(node, 'condition')) {
      this.issue(
        [...at, 'condition'],
        'named condition references are not supported by Argus; write the condition inline',
      );
      return TRUE;
    }
    this.checkCommon(node, at, bools.length === 1 ? BOOLEAN_ALLOWED : LEAF_ALLOWED);
    if (bools.length === 1) return this.booleanNode(node, bools[0]!, at);
    return this.leaf(node, at);
  }

  /** Unknown keys, `priority` and `name`. */
  private checkCommon(node: Record<string, unknown>, at: Path, allowed: Set<string>): void {
    for (const key of Object.keys(node)) {
      if (!allowed.has(key)) this.issue([...at, key], `unknown key "${key}" (allowed: ${[...allowed].join(', ')})`);
    }
    if (hasOwn.call(node, 'priority')) {
      const p = node.priority;
      if (typeof p !== 'number' || !Number.isInteger(p) || p < 1) this.issue([...at, 'priority'], 'must be a positive integer');
    }
    if (hasOwn.call(node, 'name') && typeof node.name !== 'string') this.issue([...at, 'name'], 'must be a string');
  }

  private booleanNode(node: Record<string, unknown>, op: 'all' | 'any' | 'not', at: Path): Predicate<C> {
    const sub = node[op];
    const subAt = [...at, op];
    if (op === 'not') {
      if (!isPlainObject(sub)) {
        this.issue(subAt, `must be one condition object, got ${describe(sub)}`);
        return TRUE;
      }
      const inner = this.node(sub, subAt);
      return (ctx) => !inner(ctx);
    }
    if (!Array.isArray(sub)) {
      this.issue(subAt, `must be an array of conditions, got ${describe(sub)}`);
      return TRUE;
    }
    // json-rules-engine evaluates higher-priority conditions first (default 1); results do not
    // depend on the order, only the work done does.
    const entries = sub.map((child, i) => ({ pred: this.node(child, [...subAt, i]), priority: priorityOf(child), i }));
    entries.sort((a, b) => b.priority - a.priority || a.i - b.i);
    const preds = entries.map((e) => e.pred);
    return op === 'all' ? allOf(preds) : anyOf(preds);
  }

  private leaf(node: Record<string, unknown>, at: Path): Predicate<C> {
    const start = this.issues.length;
    for (const key of ['fact', 'operator', 'value'] as const) {
      if (!hasOwn.call(node, key)) this.issue([...at, key], 'required');
    }
    const factRef = this.factRef(node, at);
    const operator = node.operator;
    let base: string | undefined;
    let decorators: DecoratorName[] = [];
    if (hasOwn.call(node, 'operator')) {
      const parsed = this.operator(operator, [...at, 'operator']);
      if (parsed) ({ base, decorators } = parsed);
    }
    let valueRef: FactRef | undefined;
    const value = node.value;
    if (isPlainObject(value) && hasOwn.call(value, 'list') && !hasOwn.call(value, 'fact')) {
      return this.listLeaf(factRef, operator, base, decorators, value, at, start);
    }
    if (hasOwn.call(node, 'value') && value !== null && typeof value === 'object' && hasOwn.call(value, 'fact')) {
      valueRef = this.factRef(value as Record<string, unknown>, [...at, 'value'], true);
    }
    let re: RegExp | undefined;
    if (base !== undefined && hasOwn.call(node, 'value')) re = this.checkValue(base, decorators, value, valueRef !== undefined, [...at, 'value']);
    if (this.issues.length > start || factRef === undefined || base === undefined) return TRUE;

    const get = this.accessor(factRef, [...at, 'fact']);
    if (valueRef !== undefined) {
      const getValue = this.accessor(valueRef, [...at, 'value', 'fact']);
      const op = decorate(base === 'matches' ? matchesOperator(re!) : BASE_OPERATORS[base]!, decorators);
      return (ctx) => op(get(ctx), getValue(ctx));
    }
    if (decorators.length > 0) {
      const op = decorate(base === 'matches' ? matchesOperator(re!) : BASE_OPERATORS[base]!, decorators);
      return (ctx) => op(get(ctx), value);
    }
    return literalLeaf(base, get, value, re);
  }

  /** A leaf whose value is a named list: `{"fact": …, "operator": "in" | "notIn", "value": {"list": name}}`. */
  private listLeaf(
    factRef: FactRef | undefined,
    operator: unknown,
    base: string | undefined,
    decorators: DecoratorName[],
    value: Record<string, unknown>,
    at: Path,
    start: number,
  ): Predicate<C> {
    const valueAt = [...at, 'value'];
    for (const key of Object.keys(value)) {
      if (key !== 'list') this.issue([...valueAt, key], `unknown key "${key}" in a list reference (allowed: list)`);
    }
    const name = value.list;
    if (typeof name !== 'string' || name.length === 0) this.issue([...valueAt, 'list'], `must be a list name, got ${describe(name)}`);
    if (base !== undefined && (decorators.length > 0 || (base !== 'in' && base !== 'notIn'))) {
      this.issue([...at, 'operator'], `a list value ({"list": …}) works only with "in" and "notIn", got "${String(operator)}"`);
    }
    const resolve = this.listResolver;
    if (resolve === undefined) this.issue(valueAt, 'lists are not available here');
    if (this.issues.length > start || factRef === undefined || base === undefined || resolve === undefined) return TRUE;
    let ref: ListRef;
    try {
      ref = resolve(name as string, valueAt);
    } catch (err) {
      if (err instanceof ConditionError) {
        for (const i of err.issues) this.issues.push(i);
        return TRUE;
      }
      throw err;
    }
    const get = this.accessor(factRef, [...at, 'fact']);
    if (base === 'in') return (ctx) => ref.has(get(ctx));
    return (ctx) => !ref.has(get(ctx));
  }

  private factRef(node: Record<string, unknown>, at: Path, isValue = false): FactRef | undefined {
    const start = this.issues.length;
    if (isValue) {
      for (const key of Object.keys(node)) {
        if (!REF_ALLOWED.has(key)) this.issue([...at, key], `unknown key "${key}" in a fact reference (allowed: fact, path, params)`);
      }
    }
    const fact = node.fact;
    if (hasOwn.call(node, 'fact') && (typeof fact !== 'string' || fact.length === 0)) {
      this.issue([...at, 'fact'], `must be a non-empty string, got ${describe(fact)}`);
    }
    let path: string | undefined;
    if (hasOwn.call(node, 'path')) {
      if (typeof node.path !== 'string') this.issue([...at, 'path'], `must be a JSONPath string, got ${describe(node.path)}`);
      else if (node.path !== '') {
        const parsed = parseJsonPath(node.path);
        if (parsed.error) this.issue([...at, 'path'], parsed.error);
        else path = node.path;
      }
    }
    let params: Record<string, unknown> | undefined;
    if (hasOwn.call(node, 'params')) {
      if (!isPlainObject(node.params)) this.issue([...at, 'params'], `must be an object, got ${describe(node.params)}`);
      else params = node.params;
    }
    if (this.issues.length > start || typeof fact !== 'string') return undefined;
    const ref: FactRef = { fact };
    if (path !== undefined) ref.path = path;
    if (params !== undefined) ref.params = params;
    return ref;
  }

  private operator(op: unknown, at: Path): { base: string; decorators: DecoratorName[] } | undefined {
    if (typeof op !== 'string' || op.length === 0) {
      this.issue(at, `must be an operator name, got ${describe(op)}`);
      return undefined;
    }
    const parts = op.split(':');
    const base = parts.pop()!;
    if (!OPERATOR_NAMES.includes(base)) {
      this.issue(at, `unknown operator "${base}" (known: ${OPERATOR_NAMES.join(', ')})`);
      return undefined;
    }
    for (const d of parts) {
      if (!(DECORATOR_NAMES as string[]).includes(d)) {
        this.issue(at, `unknown operator decorator "${d}" in "${op}" (known: ${DECORATOR_NAMES.join(', ')})`);
        return undefined;
      }
    }
    return { base, decorators: parts as DecoratorName[] };
  }

  /** Compile-time checks of a literal `value`; returns the compiled regex of `matches`. */
  private checkValue(base: string, decorators: DecoratorName[], value: unknown, isRef: boolean, at: Path): RegExp | undefined {
    const valueShaping = decorators.find((d) => VALUE_DECORATORS.has(d));
    if (base === 'matches') {
      if (valueShaping !== undefined) {
        this.issue(at, `"matches" cannot be combined with the "${valueShaping}" decorator: its value must be one literal regular expression`);
        return undefined;
      }
      if (isRef || typeof value !== 'string') {
        this.issue(at, `"matches" needs a literal regular expression source string, got ${isRef ? 'a fact reference' : describe(value)}`);
        return undefined;
      }
      try {
        return new RegExp(value);
      } catch (err) {
        this.issue(at, `invalid regular expression: ${(err as Error).message}`);
        return undefined;
      }
    }
    if (isRef) return undefined;
    if (valueShaping === 'someValue' || valueShaping === 'everyValue') {
      if (!Array.isArray(value)) this.issue(at, `"${valueShaping}" needs an array value, got ${describe(value)}`);
      return undefined;
    }
    if (valueShaping !== undefined) return undefined;
    if ((base === 'in' || base === 'notIn') && !Array.isArray(value)) {
      this.issue(at, `"${base}" needs an array value, got ${describe(value)}` + (typeof value === 'string' ? ' (for a substring test use "includes")' : ''));
    } else if (NUMERIC.has(base) && typeof value !== 'number') {
      this.issue(at, `"${base}" needs a number value, got ${describe(value)}`);
    } else if (STRINGY.has(base) && typeof value !== 'string') {
      this.issue(at, `"${base}" needs a string value, got ${describe(value)}`);
    }
    return undefined;
  }

  private accessor(ref: FactRef, at: Path): Accessor<C> {
    let base: Accessor<C>;
    try {
      base = this.factBuilder(ref, at);
    } catch (err) {
      if (err instanceof ConditionError) {
        for (const i of err.issues) this.issues.push(i);
        return () => undefined;
      }
      throw err;
    }
    if (ref.path === undefined) return base;
    const path: PathGetter = compileSteps(parseJsonPath(ref.path).steps!);
    // json-rules-engine applies `path` only to an object value; any other value is returned as is.
    return (ctx) => {
      const v = base(ctx);
      return v !== null && typeof v === 'object' ? path(v) : v;
    };
  }
}

function priorityOf(node: unknown): number {
  if (isPlainObject(node) && typeof node.priority === 'number' && Number.isInteger(node.priority) && node.priority > 0) {
    return node.priority;
  }
  return 1;
}

function decorate(op: OperatorFn, decorators: readonly DecoratorName[]): OperatorFn {
  let out = op;
  for (let i = decorators.length - 1; i >= 0; i--) out = DECORATORS[decorators[i]!](out);
  return out;
}

/**
 * `all` (an empty `all` is true) — as json-rules-engine, and so is an empty `any`: its
 * `prioritizeAndRun` resolves `true` for zero conditions whatever the operator.
 */
function allOf<C>(preds: Predicate<C>[]): Predicate<C> {
  const n = preds.length;
  if (n === 0) return TRUE;
  if (n === 1) return preds[0]!;
  const [a, b, c] = preds as [Predicate<C>, Predicate<C>, Predicate<C>];
  if (n === 2) return (ctx) => a(ctx) && b(ctx);
  if (n === 3) return (ctx) => a(ctx) && b(ctx) && c(ctx);
  return (ctx) => {
    for (let i = 0; i < n; i++) if (!preds[i]!(ctx)) return false;
    return true;
  };
}

function anyOf<C>(preds: Predicate<C>[]): Predicate<C> {
  const n = preds.length;
  if (n === 0) return TRUE;
  if (n === 1) return preds[0]!;
  const [a, b, c] = preds as [Predicate<C>, Predicate<C>, Predicate<C>];
  if (n === 2) return (ctx) => a(ctx) || b(ctx);
  if (n === 3) return (ctx) => a(ctx) || b(ctx) || c(ctx);
  return (ctx) => {
    for (let i = 0; i < n; i++) if (preds[i]!(ctx)) return true;
    return false;
  };
}

/** A leaf with a literal value and no decorator, specialised per operator. */
function literalLeaf<C>(op: string, get: Accessor<C>, value: unknown, re: RegExp | undefined): Predicate<C> {
  switch (op) {
    case 'equal':
      return (ctx) => get(ctx) === value;
    case 'notEqual':
      return (ctx) => get(ctx) !== value;
    case 'in':
    case 'notIn': {
      const list = value as unknown[];
      const want = op === 'in';
      if (list.length > SET_THRESHOLD && list.every((v) => v === null || typeof v !== 'object')) {
        // Same result as indexOf: JSON has no NaN, and Set treats 0 and -0 alike as === does.
        const set = new Set(list);
        return (ctx) => set.has(get(ctx)) === want;
      }
      return (ctx) => list.indexOf(get(ctx)) > -1 === want;
    }
    case 'contains':
      return (ctx) => {
        const a = get(ctx);
        return Array.isArray(a) && a.indexOf(value) > -1;
      };
    case 'doesNotContain':
      return (ctx) => {
        const a = get(ctx);
        return Array.isArray(a) && a.indexOf(value) === -1;
      };
    case 'lessThan': {
      const v = value as number;
      return (ctx) => {
        const a = get(ctx);
        return typeof a === 'number' ? a < v : isNumberLike(a) && (a as number) < v;
      };
    }
    case 'lessThanInclusive': {
      const v = value as number;
      return (ctx) => {
        const a = get(ctx);
        return typeof a === 'number' ? a <= v : isNumberLike(a) && (a as number) <= v;
      };
    }
    case 'greaterThan': {
      const v = value as number;
      return (ctx) => {
        const a = get(ctx);
        return typeof a === 'number' ? a > v : isNumberLike(a) && (a as number) > v;
      };
    }
    case 'greaterThanInclusive': {
      const v = value as number;
      return (ctx) => {
        const a = get(ctx);
        return typeof a === 'number' ? a >= v : isNumberLike(a) && (a as number) >= v;
      };
    }
    case 'startsWith': {
      const v = value as string;
      return (ctx) => {
        const a = get(ctx);
        return typeof a === 'string' && a.startsWith(v);
      };
    }
    case 'endsWith': {
      const v = value as string;
      return (ctx) => {
        const a = get(ctx);
        return typeof a === 'string' && a.endsWith(v);
      };
    }
    case 'includes': {
      const v = value as string;
      return (ctx) => {
        const a = get(ctx);
        return typeof a === 'string' && a.includes(v);
      };
    }
    case 'matches': {
      const r = re!;
      return (ctx) => {
        const a = get(ctx);
        return typeof a === 'string' && r.test(a);
      };
    }
    default: {
      const fn = BASE_OPERATORS[op]!;
      return (ctx) => fn(get(ctx), value);
    }
  }
}
