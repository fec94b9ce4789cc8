// The index's id table (store/index-tables.ts): look-ups and the sorted table written to the file
// equal those of a plain Map, whatever was changed, added or removed since it was read.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SpanTable } from '../../../main/core/store/index-tables.js';

const id = fc.stringMatching(/^[0-9a-f]{1,4}$/);
const change = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), id, at: fc.nat(1e6), len: fc.nat(5000) }),
  fc.record({ kind: fc.constant('delete' as const), id }),
);

describe('SpanTable', () => {
  it('answers and sorts like a Map of the same changes', () => {
    fc.assert(
      fc.property(fc.uniqueArray(id, { maxLength: 60 }), fc.array(change, { maxLength: 60 }), (baseIds, changes) => {
        const sortedBase = [...baseIds].sort();
        const model = new Map<string, [number, number]>(sortedBase.map((x, i) => [x, [i * 10, i]]));
        const table = SpanTable.fromSorted(sortedBase, sortedBase.flatMap((_, i) => [i * 10, i]));
        for (const c of changes) {
          if (c.kind === 'set') {
            model.set(c.id, [c.at, c.len]);
            table.set(c.id, c.at, c.len);
          } else {
            model.delete(c.id);
            table.delete(c.id);
          }
        }
        expect(table.size).toBe(model.size);
        for (const x of [...baseIds, ...changes.map((c) => c.id)]) expect(table.get(x)).toEqual(model.get(x));
        expect([...table.keys()].sort()).toEqual([...model.keys()].sort());
        const expectedIds = [...model.keys()].sort();
        expect(table.sorted()).toEqual({ ids: expectedIds, spans: expectedIds.flatMap((x) => model.get(x)!) });
      }),
    );
  });
});
