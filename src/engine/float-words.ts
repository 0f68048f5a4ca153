/**
 * Index of the high 32-bit word of a double viewed as two Uint32 (a Float64Array and a
 * Uint32Array over one buffer): 1 on little-endian machines, 0 on big-endian ones. The
 * quantile sketch reads a value's bucket from it and the fdlibm ports their branch bounds.
 */
export const HI_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
