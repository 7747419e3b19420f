import { describe, expect, it } from 'vitest';
import { pickTheme } from './theme';

describe('pickTheme', () => {
  it('keeps a remembered choice whatever the system prefers', () => {
    expect(pickTheme('dark', false)).toBe('dark');
    expect(pickTheme('light', true)).toBe('light');
  });
  it('follows the system without a (valid) remembered choice', () => {
    expect(pickTheme(null, true)).toBe('dark');
    expect(pickTheme(null, false)).toBe('light');
    expect(pickTheme('purple', true)).toBe('dark');
  });
});
