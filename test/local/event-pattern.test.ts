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
