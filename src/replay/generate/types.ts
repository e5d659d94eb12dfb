/** The fraud scenarios `argus generate` injects, in the order users are assigned to them. */
export const SCENARIOS = ['account_takeover', 'card_testing', 'velocity_abuse', 'impossible_travel', 'mule_fan_in'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/**
 * The label on every generated event. `fraud: true` on the fraudulent events of a scenario;
 * `scenario` on every event a scenario injected (an injected event may be legitimate, e.g. the
 * victim's own login before an impossible-travel login).
 */
export interface EventLabel {
  fraud: boolean;
  scenario?: Scenario;
}

/** A generated event: the envelope, the type's fields (see docs/generate.md), and its label. */
export interface GeneratedEvent {
  id: string;
  type: string;
  /** Epoch milliseconds. */
  timestamp: number;
  userId: string;
  label: EventLabel;
  [field: string]: unknown;
}

export interface GenerateOptions {
  users: number;
  days: number;
  seed: number;
  /** Fraction of users affected by a fraud scenario, in [0, 1]. */
  fraudRate: number;
  /** Start of the stream, epoch ms (default 2026-01-05T00:00:00Z, a Monday). */
  start: number;
}

/** Which users a scenario was injected for (the ground truth of one generated stream). */
export interface Injection {
  userId: string;
  scenario: Scenario;
  /** When the scenario starts (epoch ms). */
  time: number;
}
