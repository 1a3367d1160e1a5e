/*
 * USNs are 64-bit counters sent as decimal strings; past 2^53 a JS number
 * would round two different USNs to one, so they are compared as BigInt.
 */

const DIGITS = /^\d+$/u

/** True when both name the same USN (`'007'` equals `'7'`); non-numeric strings compare as text. */
export function sameUsn (a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b
  const left = a.trim()
  const right = b.trim()
  if (DIGITS.test(left) && DIGITS.test(right)) return BigInt(left) === BigInt(right)
  return left === right
}
