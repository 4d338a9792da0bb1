/**
 * Results of a pure computation named by a string, kept for the most recent `max` distinct inputs. A cached image hit
 * repeats the same work for the same URL on every request (parsing the transformation, hashing the variant's
 * key); this keeps the answer instead. Bounded, so a client asking for millions of distinct URLs costs a
 * fixed amount of memory; errors are not kept (a refused URL is refused again, at full cost).
 */
export class BoundedMemo<V> {
  private readonly values = new Map<string, V>();

  constructor(private readonly max: number) {}

  /** `compute` must depend on nothing but what `input` names. */
  get(input: string, compute: () => V): V {
    const known = this.values.get(input);
    if (known !== undefined) return known;
    const value = compute();
    this.values.set(input, value);
    // The oldest insertion goes first: a hot entry evicted is computed again, which is only its cost.
    if (this.values.size > this.max) this.values.delete(this.values.keys().next().value!);
    return value;
  }
}
