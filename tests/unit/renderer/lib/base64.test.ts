import { describe, expect, it } from 'vitest';
import { base64ToBytes } from '../../../../src-renderer/lib/base64';

describe('base64ToBytes', () => {
  it('gives back every byte value', () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(Buffer.from(base64ToBytes(bytes.toString('base64')))).toEqual(bytes);
    expect(base64ToBytes('')).toEqual(new Uint8Array(0));
  });
});
