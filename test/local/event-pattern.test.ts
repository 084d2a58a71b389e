import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchesEventPattern } from '../../local/event-pattern.js';

interface Case { name: string; pattern: object; event: object; expected: boolean }
const cases = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'eb-patterns.json'), 'utf8')) as Case[];

describe('matchesEventPattern: the shared EventBridge cases', () => {
  it('has the cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(matchesEventPattern(c.pattern, c.event)).toBe(c.expected);
    expect(matchesEventPattern(JSON.stringify(c.pattern), c.event)).toBe(c.expected);
  });
});

/** Edge cases from event-ruler's README (the engine behind EventBridge): JSON array matching and exists matching. */
describe('matchesEventPattern: arrays in arrays, exists on leaves', () => {
  const employees = { employees: [[{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }], [{ firstName: 'Peter', lastName: 'Jones' }]] };
  it.each([
    ['a multi-level array of objects is crushed out', { employees: { firstName: ['Anna'] } }, employees, true],
    ['fields of one sub-pattern match within one element, at any depth', { employees: { firstName: ['Anna'], lastName: ['Jones'] } }, employees, false],
    ['…and do match when the element has both', { employees: { firstName: ['Peter'], lastName: ['Jones'] } }, employees, true],
    ['leaf values in nested arrays', { tags: ['c'] }, { tags: [['a', 'b'], ['c']] }, true],
    ['leaf values in nested arrays, none equal', { tags: ['d'] }, { tags: [['a', 'b'], ['c']] }, false],
    ['numeric on a nested array', { n: [{ numeric: ['>', 10] }] }, { n: [[1, [2, 30]]] }, true],
    ['exists: true on an object-valued key: not a leaf', { detail: { 'c-count': [{ exists: true }] } }, { detail: { 'c-count': { c1: 100 } } }, false],
    ['exists: false on an object-valued key: no leaf, so it matches (README example)', { detail: { 'c-count': [{ exists: false }] } }, { detail: { state: 'running', 'c-count': { c1: 100 } } }, true],
    ['exists: false on a key holding only objects in an array', { k: [{ exists: false }] }, { k: [{ a: 1 }] }, true],
    ['exists: true on a key holding a leaf in a nested array', { k: [{ exists: true }] }, { k: [[{ a: 1 }], ['x']] }, true],
    ['exists: false inside an array of objects: one element without the key', { x: { c: [{ exists: false }] } }, { x: [{ c: 1 }, { d: 2 }] }, true],
    ['exists: false inside an array of objects: every element has it', { x: { c: [{ exists: false }] } }, { x: [[{ c: 1 }], [{ c: 2 }]] }, false],
  ])('%s', (_name, pattern, event, expected) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });
});
