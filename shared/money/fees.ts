/**
 * The platform's fee on a release, shared so the server books exactly what the app shows
 * before release: half-up in minor units; `feeBasisPoints` 1000 = 10 %.
 */
export function platformFeeOf(amountMinor: number, feeBasisPoints: number): number {
  return Number((BigInt(amountMinor) * BigInt(feeBasisPoints) * 2n + 10_000n) / 20_000n);
}
