// The machine image the "Machine image" view opens with: the `vmscope translate` JSON of a small
// x86-64 4-level table (the one the CLI's tests use). VA 0x7f0000401123 = PML4 254, PDPT 0, PD 2,
// PT 1, offset 0x123; the leaf maps frame 0x5 user read-only. Four accesses: a user read, a user
// write (protection fault), a non-canonical read (#GP), a supervisor write with CR0.WP=1 (fault).

/** One 8-byte little-endian entry at `index`, as frame hex. */
function entryHex(index: number, value: bigint): string {
  let hex = '00'.repeat(index * 8);
  for (let b = 0n; b < 8n; b++) hex += ((value >> (8n * b)) & 0xffn).toString(16).padStart(2, '0');
  return hex;
}

export const EXAMPLE_IMAGE_TEXT = JSON.stringify(
  {
    arch: 'x86_64',
    levels: 4,
    maxphyaddr: 40,
    cr3: '0x1000',
    cr0_wp: true,
    cr4_smep: false,
    cr4_smap: false,
    cr4_pge: true,
    efer_nxe: true,
    frames: {
      '0x1000': entryHex(254, 0x2007n),
      '0x2000': entryHex(0, 0x3007n),
      '0x3000': entryHex(2, 0x4007n),
      '0x4000': entryHex(1, 0x5005n),
    },
    accesses: [
      { va: '0x00007f0000401123', kind: 'read', cpl: 3, ac: false },
      { va: '0x00007f0000401123', kind: 'write', cpl: 3, ac: false },
      { va: '0x00807f0000401123', kind: 'read', cpl: 3, ac: false },
      { va: '0x00007f0000401123', kind: 'write', cpl: 0, ac: false },
    ],
  },
  null,
  2,
);
