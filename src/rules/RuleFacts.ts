import { ConditionError } from '../errors.ts';
import { compileOwnPath } from '../conditions/ownPath.ts';
import type { Accessor, FactRef } from '../conditions/types.ts';

/**
 * What a rule's conditions read: the event's fields, the key's history features, the pattern
 * matches the event completed, and reference lists.
 */
export interface RuleFacts {
  event: Record<string, unknown>;
  features: Record<string, unknown>;
  matches: Record<string, unknown>;
  lists: Record<string, unknown>;
}

/** Fact names that read the other parts of `RuleFacts` instead of an event field. */
export const RESERVED_FACTS = ['features', 'matches', 'lists'] as const;
type Reserved = (typeof RESERVED_FACTS)[number];

function reservedOf(fact: string): Reserved | undefined {
  for (const r of RESERVED_FACTS) if (fact === r || fact.startsWith(`${r}.`)) return r;
  return undefined;
}

/**
 * The fact accessor of rules (`CompileOptions.fact`): `features`, `matches`, `lists` (or a dot
 * path under them, `features.txn_count_1h`) read those objects; any other fact is a dot path
 * into the event (`amount`, `card.country`). Built once per reference, own properties only.
 */
export function ruleFact(ref: FactRef, at: (string | number)[]): Accessor<RuleFacts> {
  const fact = ref.fact;
  if (fact.split('.').some((p) => p.length === 0)) {
    throw new ConditionError([{ path: at, message: `"${fact}" is not a valid dot path (empty segment)` }]);
  }
  const reserved = reservedOf(fact);
  // One getter over the whole RuleFacts object: `card.country` reads facts.event.card.country.
  const parts = fact.split('.');
  return compileOwnPath(reserved === undefined ? ['event', ...parts] : parts) as Accessor<RuleFacts>;
}
