/** LIKE patterns: % and _ wildcards, the escape character, and the patterns that are refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileLikePattern } from '../../../../src/jms/selector/like-pattern.ts';

test('patterns match as the spec describes, on every matcher shape', () => {
  const table: Array<[string, string | undefined, string, boolean]> = [
    ['', undefined, '', true],
    ['', undefined, 'a', false],
    ['abc', undefined, 'abc', true],
    ['abc', undefined, 'abcd', false],
    ['ab%', undefined, 'abxyz', true],
    ['ab%', undefined, 'xab', false],
    ['%yz', undefined, 'abxyz', true],
    ['%yz', undefined, 'yza', false],
    ['%x%', undefined, 'x', true],
    ['%x%', undefined, 'abc', false],
    ['%', undefined, '', true],
    ['%%%', undefined, 'anything', true],
    ['_', undefined, '', false],
    ['_', undefined, '\u{1F600}', true], // one code point
    ['a_c', undefined, 'abc', true],
    ['a_c', undefined, 'ac', false],
    ['a%c', undefined, 'a\nb\nc', true], // % spans line breaks
    ['a.c', undefined, 'abc', false], // regular-expression characters are literal
    ['(a|b)+[c]', undefined, '(a|b)+[c]', true],
    ['1+1=2%', undefined, '1+1=2 ok', true],
    ['\\_%', '\\', '_x', true],
    ['\\_%', '\\', 'ax', false],
    ['100!%', '!', '100%', true],
    ['100!%', '!', '1000', false],
    ['a!!b', '!', 'a!b', true],
    ['a!bc', '!', 'abc', true], // an escaped ordinary character is itself
    ['%\u{1F600}_', '\u{1F600}', 'ab_', true],
    ['%\u{1F600}_', '\u{1F600}', 'abc', false],
    ['\u{1F600}%', '\u{1F600}', '%', true], // a surrogate-pair escape character is one character
  ];
  for (const [pattern, escape, value, expected] of table) {
    const compiled = compileLikePattern(pattern, escape);
    assert.ok(compiled.ok, `${pattern}: ${compiled.ok ? '' : compiled.problem}`);
    assert.equal(compiled.matches(value), expected, `'${value}' LIKE '${pattern}'${escape ? ` ESCAPE '${escape}'` : ''}`);
  }
});

test('an escape of more or less than one character, or one that ends the pattern, is refused with the reason', () => {
  const table: Array<[string, string, string]> = [
    ['a%', '', 'exactly one character'],
    ['a%', '!!', 'exactly one character'],
    ['a!', '!', 'ends with the escape character'],
    ['!!!', '!', 'ends with the escape character'],
  ];
  for (const [pattern, escape, problem] of table) {
    const compiled = compileLikePattern(pattern, escape);
    assert.equal(compiled.ok, false, pattern);
    if (!compiled.ok) assert.match(compiled.problem, new RegExp(problem));
  }
});
