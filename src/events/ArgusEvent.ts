/** An event as the runtime sees it once validated. */
export interface ArgusEvent {
  /** Unique per event; the idempotency key. */
  readonly id: string;
  /** Event type: `transaction`, `login`, `match:<patternId>` for derived events, … */
  readonly type: string;
  /** Event time in epoch milliseconds (the envelope's `timestamp`, normalised). */
  readonly time: number;
  /** The partition key (by default the `userId` field), as a string. */
  readonly key: string;
  /** The whole envelope as received (conditions read their facts from here). */
  readonly data: Readonly<Record<string, unknown>>;
}
