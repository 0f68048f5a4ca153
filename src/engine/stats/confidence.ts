/** Two-sided 95 % Student t critical values t(0.975, ν) for ν = 1..30 (standard tables). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/**
 * t(0.975, ν): the table up to 30 degrees of freedom, then the Cornish–Fisher
 * expansion around z = 1.959964 (error below 1e-4 from ν = 30 on).
 */
export function tCritical95(df: number): number {
  if (df < 1) return NaN;
  if (df <= 30) return T975[Math.floor(df) - 1]!;
  const z = 1.959963984540054;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3);
}

/** Mean and 95 % confidence half-width of independent observations (Student t); half-width NaN for fewer than 2. */
export function meanCi95(xs: readonly number[]): { mean: number; ci95: number; sd: number; n: number } {
  const n = xs.length;
  if (n === 0) return { mean: NaN, ci95: NaN, sd: NaN, n };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, ci95: NaN, sd: NaN, n };
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  return { mean, ci95: (tCritical95(n - 1) * sd) / Math.sqrt(n), sd, n };
}
