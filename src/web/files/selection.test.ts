import { describe, expect, it } from 'vitest';
import {
  emptySelection,
  prune,
  selectAll,
  selectOnly,
  selectRange,
  selectedInOrder,
  toggle,
} from './selection';

const order = ['a', 'b', 'c', 'd', 'e', 'f'];
const keys = (s: { selected: ReadonlySet<string> }) => [...s.selected].sort();

describe('selection model', () => {
  it('a click selects one item and sets the anchor', () => {
    const s = selectOnly('c');
    expect(keys(s)).toEqual(['c']);
    expect(s.anchor).toBe('c');
  });

  it('ctrl-click toggles without touching the rest and moves the anchor', () => {
    let s = selectOnly('a');
    s = toggle(s, 'c');
    expect(keys(s)).toEqual(['a', 'c']);
    s = toggle(s, 'a');
    expect(keys(s)).toEqual(['c']);
    expect(s.anchor).toBe('a');
  });

  it('shift-click selects from the anchor to the item, both directions, in list order', () => {
    const s = selectRange(selectOnly('b'), 'e', order);
    expect(keys(s)).toEqual(['b', 'c', 'd', 'e']);
    expect(s.anchor).toBe('b');
    expect(keys(selectRange(selectOnly('e'), 'b', order))).toEqual(['b', 'c', 'd', 'e']);
  });

  it('a second shift-click re-ranges from the same anchor (replacing the first range)', () => {
    let s = selectRange(selectOnly('c'), 'f', order);
    s = selectRange(s, 'a', order);
    expect(keys(s)).toEqual(['a', 'b', 'c']);
  });

  it('the anchor after a ctrl-click is that item (the Nextcloud regression)', () => {
    let s = selectOnly('a');
    s = toggle(s, 'd');
    s = selectRange(s, 'f', order);
    expect(keys(s)).toEqual(['d', 'e', 'f']);
  });

  it('ctrl+shift adds the range to the selection', () => {
    let s = toggle(selectOnly('a'), 'd');
    s = selectRange(s, 'e', order, true);
    expect(keys(s)).toEqual(['a', 'd', 'e']);
  });

  it('the range follows the current order (after a re-sort)', () => {
    const s = selectOnly('b');
    expect(keys(selectRange(s, 'd', ['d', 'c', 'b', 'a']))).toEqual(['b', 'c', 'd']);
    expect(keys(selectRange(s, 'd', ['b', 'x', 'y', 'd']))).toEqual(['b', 'd', 'x', 'y']);
  });

  it('shift-click without an anchor selects just that item', () => {
    expect(keys(selectRange(emptySelection, 'c', order))).toEqual(['c']);
  });

  it('select all takes every loaded item; prune drops what left the list', () => {
    let s = selectAll(order);
    expect(s.selected.size).toBe(6);
    s = prune(s, ['a', 'c', 'z']);
    expect(keys(s)).toEqual(['a', 'c']);
    expect(prune(s, ['a', 'c'])).toBe(s);
    expect(prune(selectOnly('q'), order).anchor).toBeNull();
  });

  it('selected items come out in list order', () => {
    const s = toggle(toggle(selectOnly('e'), 'a'), 'c');
    expect(selectedInOrder(s, order)).toEqual(['a', 'c', 'e']);
  });
});
