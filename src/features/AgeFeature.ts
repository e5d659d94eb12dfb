import { decodeTime, isRecord, stateError, type Feature, type Path } from './Feature.ts';
import type { FeatureKind } from './types.ts';

export class AgeSlot {
  /** Earliest time of a matching event (Infinity: none yet). */
  first = Infinity;
}

/** `age`: ms since the key's earliest matching event with `t' ≤ t`. One number per key; always exact. */
export class AgeFeature implements Feature<AgeSlot> {
  constructor(
    readonly name: string,
    readonly kind: FeatureKind,
    readonly hash: string,
    readonly group: number,
  ) {}

  create(): AgeSlot {
    return new AgeSlot();
  }

  /** The earliest time; undefined when there is none. */
  encode(s: AgeSlot): unknown {
    return s.first === Infinity ? undefined : s.first;
  }

  decode(json: unknown, at: Path): AgeSlot {
    const s = new AgeSlot();
    if (typeof json === 'number') {
      s.first = decodeTime(json, Infinity, at);
      return s;
    }
    // version 1: { f: time | null }
    if (!isRecord(json)) throw stateError(at, 'must be a time');
    s.first = decodeTime(json.f, Infinity, [...at, 'f']);
    return s;
  }
}
