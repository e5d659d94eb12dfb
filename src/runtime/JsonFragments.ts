/**
 * A FIFO of JSON fragments, each serialised once when it is added, so that writing a key's state
 * joins the fragments instead of re-serialising every element at every group commit. (They are
 * kept as an array and joined on demand: a text built by repeated concatenation is a rope, and
 * turning a rope into bytes for the store costs far more than the join.)
 */
export class JsonFragments {
  private readonly parts: string[] = [];

  get count(): number {
    return this.parts.length;
  }

  push(fragment: string): void {
    this.parts.push(fragment);
  }

  /** Drops the oldest fragment. */
  shift(): void {
    this.parts.shift();
  }

  /** The fragments joined by commas (the inside of a JSON array). */
  toString(): string {
    return this.parts.join(',');
  }
}
