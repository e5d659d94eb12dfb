import type { ArgusEvent } from '../events/ArgusEvent.ts';
import { decodeTime, isRecord, stateError, type Feature, type Path } from './Feature.ts';
import type { FeatureDescription, FeatureKind, FeatureValue } from './types.ts';

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

  evaluate(s: AgeSlot, event: ArgusEvent, out: FeatureValue[], d: number): boolean {
    const t = event.time;
    out[d] = s.first <= t ? t - s.first : null;
    return true;
  }

  update(s: AgeSlot, event: ArgusEvent, matched: boolean): void {
    if (matched && event.time < s.first) s.first = event.time;
  }

  expire(): void {}

  describe(s: AgeSlot, time: number): FeatureDescription {
    return { kind: this.kind, value: s.first <= time ? time - s.first : null, exact: true, entries: s.first === Infinity ? 0 : 1, dropped: 0 };
  }

  entries(s: AgeSlot): number {
    return s.first === Infinity ? 0 : 1;
  }

  isEmpty(s: AgeSlot): boolean {
    return s.first === Infinity;
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
