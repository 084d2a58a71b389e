/**
 * EventBridge event-pattern matching, as documented (eb-event-patterns.html,
 * eb-create-pattern-operators.html, eb-event-patterns-arrays.html):
 * fields AND, values OR; a field named in the pattern must be present (but for `exists: false`);
 * an array in the event matches when any element matches, arrays nested in arrays are flattened
 * ("crushed out", event-ruler's JSON array matching), and fields of one sub-pattern must match
 * within the same element; `exists` looks at leaf values only (an object-valued key does not
 * exist for it); `$or` lists alternative sub-patterns.
 * Used by the local province's bus and by the tests of the stack's rule patterns.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Pattern = { [k: string]: unknown };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function matchesEventPattern(pattern: object | string, event: object): boolean {
  const p = typeof pattern === 'string' ? (JSON.parse(pattern) as Pattern) : (pattern as Pattern);
  return matchObject(p, event as Record<string, unknown>);
}

function matchObject(pattern: Pattern, value: unknown): boolean {
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(sub) || !sub.some((alt) => matchObject(alt as Pattern, value))) return false;
      continue;
    }
    const field = isObject(value) ? value[key] : undefined;
    if (Array.isArray(sub)) {
      if (!matchLeaf(sub, field)) return false;
    } else if (isObject(sub)) {
      // each object in the field (an array's elements, at any depth) is tried on its own
      const objects = (Array.isArray(field) ? (field as unknown[]).flat(Infinity) : [field]).filter(isObject);
      const matches = objects.length > 0 ? objects.some((c) => matchObject(sub, c)) : onlyAbsence(sub) && matchObject(sub, undefined);
      if (!matches) return false;
    } else {
      throw new Error(`invalid event pattern at "${key}": expected an array or an object`);
    }
  }
  return true;
}

/** A nested pattern can match a missing object only when it asks for absence everywhere. */
function onlyAbsence(pattern: Pattern): boolean {
  return Object.entries(pattern).every(([k, v]) =>
    k !== '$or' && (Array.isArray(v) ? v.some((m) => isObject(m) && m.exists === false) : isObject(v) && onlyAbsence(v)),
  );
}

/** Leaf values of a field: an array contributes its elements (nested arrays flattened); an object is not a leaf. */
function leafValues(field: unknown): Json[] {
  if (field === undefined || isObject(field)) return [];
  if (Array.isArray(field)) return (field as unknown[]).flat(Infinity).filter((v) => !isObject(v)) as Json[];
  return [field as Json];
}

function matchLeaf(matchers: unknown[], field: unknown): boolean {
  const values = leafValues(field);
  return matchers.some((m) => {
    // exists looks at leaves: a key holding only an object (or objects) has none
    if (isObject(m) && 'exists' in m) return m.exists === true ? values.length > 0 : values.length === 0;
    return values.some((v) => matchValue(m, v));
  });
}

function matchValue(matcher: unknown, value: Json): boolean {
  if (!isObject(matcher)) {
    if (typeof matcher === 'number' && typeof value === 'number') return matcher === value;
    return matcher === value;
  }
  const [op, arg] = Object.entries(matcher)[0] ?? [];
  switch (op) {
    case 'prefix':
      return typeof value === 'string' && affix(arg, value, (s, a) => s.startsWith(a));
    case 'suffix':
      return typeof value === 'string' && affix(arg, value, (s, a) => s.endsWith(a));
    case 'equals-ignore-case':
      return typeof value === 'string' && typeof arg === 'string' && value.toLowerCase() === arg.toLowerCase();
    case 'wildcard':
      return typeof value === 'string' && typeof arg === 'string' && wildcard(arg).test(value);
    case 'anything-but':
      return anythingBut(arg, value);
    case 'numeric':
      return typeof value === 'number' && numeric(arg as unknown[], value);
    case 'cidr':
      return typeof value === 'string' && typeof arg === 'string' && inCidr(arg, value);
    default:
      throw new Error(`unsupported event pattern operator: ${JSON.stringify(matcher)}`);
  }
}

function affix(arg: unknown, value: string, test: (s: string, a: string) => boolean): boolean {
  if (typeof arg === 'string') return test(value, arg);
  if (isObject(arg) && typeof arg['equals-ignore-case'] === 'string') {
    return test(value.toLowerCase(), (arg['equals-ignore-case'] as string).toLowerCase());
  }
  return false;
}

function wildcard(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]!);
    else if (c === '*') re += '.*';
    else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, 's');
}
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function anythingBut(arg: unknown, value: Json): boolean {
  if (Array.isArray(arg)) return !arg.some((a) => a === value);
  if (isObject(arg)) {
    const [op, inner] = Object.entries(arg)[0] ?? [];
    const list = Array.isArray(inner) ? inner : [inner];
    return !list.some((i) => matchValue({ [op as string]: i }, value));
  }
  return arg !== value;
}

function numeric(spec: unknown[], value: number): boolean {
  for (let i = 0; i < spec.length; i += 2) {
    const op = spec[i];
    const n = Number(spec[i + 1]);
    const ok =
      op === '=' ? value === n : op === '<' ? value < n : op === '<=' ? value <= n : op === '>' ? value > n : op === '>=' ? value >= n : false;
    if (!ok) return false;
  }
  return true;
}

function inCidr(cidr: string, ip: string): boolean {
  const [net, bitsText] = cidr.split('/');
  const a = parseIp(net ?? '');
  const b = parseIp(ip);
  if (!a || !b || a.bits !== b.bits) return false;
  const bits = bitsText === undefined ? a.bits : Number(bitsText);
  const shift = BigInt(a.bits - bits);
  return a.value >> shift === b.value >> shift;
}

function parseIp(ip: string): { value: bigint; bits: number } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
    const parts = ip.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n), bits: 32 };
  }
  if (!ip.includes(':')) return undefined;
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { value: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n), bits: 128 };
}
