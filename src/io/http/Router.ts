/**
 * Path routing without regular expressions: a trie of path segments, where a segment is
 * either literal (`v1`) or a parameter (`:key`). Built once at start-up; a lookup walks the
 * path with `indexOf('/')` and one map lookup per segment.
 */

interface Node<R> {
  literal: Map<string, Node<R>>;
  param: { name: string; node: Node<R> } | undefined;
  /** Routes ending here, by method. */
  methods: Map<string, R>;
}

/** The outcome of a lookup. `params` are the raw (still URL-encoded) parameter segments, in order. */
export type RouteMatch<R> =
  | { kind: 'found'; route: R; params: string[] }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

const NOT_FOUND = { kind: 'not-found' } as const;

function newNode<R>(): Node<R> {
  return { literal: new Map(), param: undefined, methods: new Map() };
}

export class Router<R> {
  private readonly root: Node<R> = newNode();

  /** Adds a route: `add('GET', '/v1/keys/:key', route)`. Throws on a duplicate or conflicting parameter name. */
  add(method: string, pattern: string, route: R): void {
    if (!pattern.startsWith('/')) throw new Error(`route pattern must start with "/": ${pattern}`);
    let node = this.root;
    const segments = pattern === '/' ? [''] : pattern.slice(1).split('/');
    for (const segment of segments) {
      if (segment.startsWith(':')) {
        const name = segment.slice(1);
        if (name === '') throw new Error(`empty parameter name in ${pattern}`);
        if (node.param === undefined) node.param = { name, node: newNode() };
        else if (node.param.name !== name) throw new Error(`parameter :${name} in ${pattern} conflicts with :${node.param.name}`);
        node = node.param.node;
      } else {
        let next = node.literal.get(segment);
        if (next === undefined) {
          next = newNode();
          node.literal.set(segment, next);
        }
        node = next;
      }
    }
    if (node.methods.has(method)) throw new Error(`duplicate route ${method} ${pattern}`);
    node.methods.set(method, route);
  }

  /** Finds the route for a path (without query string). A literal segment wins over a parameter. */
  find(method: string, path: string): RouteMatch<R> {
    if (path.charCodeAt(0) !== 47 /* / */) return NOT_FOUND;
    let node: Node<R> = this.root;
    let params: string[] | undefined;
    let start = 1;
    for (;;) {
      const slash = path.indexOf('/', start);
      const end = slash < 0 ? path.length : slash;
      const segment = path.slice(start, end);
      const literal = node.literal.get(segment);
      if (literal !== undefined) node = literal;
      else if (node.param !== undefined && segment !== '') {
        (params ??= []).push(segment);
        node = node.param.node;
      } else return NOT_FOUND;
      if (slash < 0) break;
      start = slash + 1;
    }
    const route = node.methods.get(method);
    if (route !== undefined) return { kind: 'found', route, params: params ?? EMPTY };
    if (node.methods.size === 0) return NOT_FOUND;
    return { kind: 'method-not-allowed', allow: [...node.methods.keys()] };
  }
}

const EMPTY: string[] = [];
