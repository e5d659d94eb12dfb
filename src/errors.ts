/**
 * The one error hierarchy of Argus. Every error has a stable `code` and a `retriable` flag
 * (as KafkaJS does): callers decide whether to retry from the flag, never from the message.
 */
export class ArgusError extends Error {
  readonly code: string;
  readonly retriable: boolean;

  constructor(message: string, options: { code?: string; retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? 'ARGUS_ERROR';
    this.retriable = options.retriable ?? false;
  }
}

/** One problem found while validating input: where it is and why it is wrong. */
export interface ValidationIssue {
  /** Field path inside the document, e.g. `["stages", 1, "where", "operator"]`. */
  path: (string | number)[];
  message: string;
}

export interface SourceLocation {
  /** File the document came from, when it came from a file. */
  file?: string;
  /** 1-based line in that file (for JSONL inputs, the line of the record). */
  line?: number;
}

/** Formats a path as `stages[1].where.operator` (empty path: `(root)`). */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/**
 * Bad input: an event, rule, pattern, feature, list, policy or configuration that does not
 * validate. Carries every issue with its field path, and the file and line when known.
 */
export class ValidationError extends ArgusError {
  /** What was being validated: `event`, `rule`, `pattern`, `condition`, `configuration`, … */
  readonly what: string;
  readonly issues: ValidationIssue[];
  readonly file?: string;
  readonly line?: number;

  constructor(what: string, issues: ValidationIssue[], location: SourceLocation = {}, code = 'VALIDATION_ERROR') {
    super(ValidationError.describe(what, issues, location), { code, retriable: false });
    this.what = what;
    this.issues = issues;
    this.file = location.file;
    this.line = location.line;
  }

  static describe(what: string, issues: ValidationIssue[], location: SourceLocation): string {
    const where = location.file ? `${location.file}${location.line !== undefined ? `:${location.line}` : ''}: ` : '';
    const details = issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');
    return `${where}invalid ${what}: ${details}`;
  }

  /** The same error, located in a file (and line) — used by loaders that read documents. */
  at(location: SourceLocation): ValidationError {
    return new ValidationError(
      this.what,
      this.issues,
      { file: location.file ?? this.file, line: location.line ?? this.line },
      this.code,
    );
  }

  /** Prefixes every issue's path, e.g. when a condition is compiled as part of a rule. */
  under(base: (string | number)[]): ValidationError {
    const issues = this.issues.map((i) => ({ path: [...base, ...i.path], message: i.message }));
    return new ValidationError(this.what, issues, { file: this.file, line: this.line }, this.code);
  }

  toJSON(): { code: string; message: string; file?: string; line?: number; issues: ValidationIssue[] } {
    return { code: this.code, message: this.message, file: this.file, line: this.line, issues: this.issues };
  }
}

/** A request body or event over the size limit. */
export class PayloadTooLargeError extends ArgusError {
  readonly limit: number;
  constructor(limit: number) {
    super(`payload larger than ${limit} bytes`, { code: 'PAYLOAD_TOO_LARGE' });
    this.limit = limit;
  }
}

/** A condition (rule or pattern stage) that cannot be compiled. */
export class ConditionError extends ValidationError {
  constructor(issues: ValidationIssue[], location: SourceLocation = {}) {
    super('condition', issues, location, 'INVALID_CONDITION');
  }
}

/** A pattern that is well-formed JSON but violates a build-time rule (FlinkCEP's MalformedPatternException). */
export class MalformedPatternError extends ValidationError {
  constructor(issues: ValidationIssue[], location: SourceLocation = {}) {
    super('pattern', issues, location, 'MALFORMED_PATTERN');
  }
}

/** Invalid configuration: start-up stops with this message. */
export class ConfigError extends ValidationError {
  constructor(issues: ValidationIssue[], location: SourceLocation = {}) {
    super('configuration', issues, location, 'INVALID_CONFIG');
  }
}

/** The state store failed (I/O). Usually retriable. */
export class StateStoreError extends ArgusError {
  constructor(message: string, cause?: unknown, retriable = true) {
    super(message, { code: 'STATE_STORE_ERROR', retriable, cause });
  }
}

/** The engine is closing or closed; the request was not processed. */
export class EngineClosedError extends ArgusError {
  constructor() {
    super('engine is closed', { code: 'ENGINE_CLOSED', retriable: true });
  }
}

/** Converts zod issues (zod 4) into Argus validation issues, prefixing a base path. */
export function fromZodIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  base: (string | number)[] = [],
): ValidationIssue[] {
  return issues.map((i) => ({
    path: [...base, ...i.path.map((p) => (typeof p === 'number' ? p : String(p)))],
    message: i.message,
  }));
}
