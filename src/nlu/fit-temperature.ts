/**
 * Temperature scaling (Guo et al. 2017): the T that minimises the negative log-likelihood of
 * `softmax(logits / T)` on held-out predictions, by golden-section search over log T.
 */
export function fitTemperature(logits: readonly Float64Array[], labels: readonly number[]): number {
  if (logits.length === 0) return 1;
  const nll = (logT: number): number => {
    const t = Math.exp(logT);
    let total = 0;
    logits.forEach((z, i) => {
      let max = Number.NEGATIVE_INFINITY;
      for (const v of z) max = Math.max(max, v / t);
      let sum = 0;
      for (const v of z) sum += Math.exp(v / t - max);
      total -= (z[labels[i] as number] as number) / t - max - Math.log(sum);
    });
    return total;
  };
  const ratio = (Math.sqrt(5) - 1) / 2;
  let lo = Math.log(0.02);
  let hi = Math.log(50);
  let a = hi - ratio * (hi - lo);
  let b = lo + ratio * (hi - lo);
  let fa = nll(a);
  let fb = nll(b);
  for (let i = 0; i < 40; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - ratio * (hi - lo);
      fa = nll(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + ratio * (hi - lo);
      fb = nll(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}
