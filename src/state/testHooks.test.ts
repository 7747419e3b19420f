import { describe, expect, it } from 'vitest';
import { testHooksWanted } from './testHooks';

describe('testHooksWanted', () => {
  it('only with testhooks=1 in the query string', () => {
    expect(testHooksWanted('?testhooks=1')).toBe(true);
    expect(testHooksWanted('?a=2&testhooks=1')).toBe(true);
    expect(testHooksWanted('')).toBe(false);
    expect(testHooksWanted('?testhooks=0')).toBe(false);
    expect(testHooksWanted('?testhooks')).toBe(false);
  });
});
