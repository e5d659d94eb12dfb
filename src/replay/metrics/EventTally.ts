/** Per event type: events, and labelled positives / negatives (the denominators of rule metrics). */
export interface TypeCounts {
  events: number;
  positives: number;
  negatives: number;
}

/**
 * Counts of the replayed events that do not depend on the catalog: by type and by label.
 * `label`: 1 fraud, 0 not fraud, -1 unlabelled (or no labels asked for).
 */
export class EventTally {
  readonly types = new Map<string, TypeCounts>();
  events = 0;
  positives = 0;
  negatives = 0;
  unlabelled = 0;

  add(type: string, label: -1 | 0 | 1): void {
    let t = this.types.get(type);
    if (t === undefined) {
      t = { events: 0, positives: 0, negatives: 0 };
      this.types.set(type, t);
    }
    this.events++;
    t.events++;
    if (label === 1) {
      this.positives++;
      t.positives++;
    } else if (label === 0) {
      this.negatives++;
      t.negatives++;
    } else this.unlabelled++;
  }

  /** Events, positives and negatives of the given types (undefined: every type). */
  countsFor(types: readonly string[] | undefined): TypeCounts {
    if (types === undefined) return { events: this.events, positives: this.positives, negatives: this.negatives };
    const out = { events: 0, positives: 0, negatives: 0 };
    for (const type of new Set(types)) {
      const t = this.types.get(type);
      if (t === undefined) continue;
      out.events += t.events;
      out.positives += t.positives;
      out.negatives += t.negatives;
    }
    return out;
  }
}
