// The generator of examples/linear-contract.json, whose code_contract is written in the users'
// template form: x uniform on (0, 1), y = 2x + N(0, 1), num_samples values each.
// It runs in synthproof's sandbox (QuickJS in WebAssembly): no imports, no I/O, no printing, no
// Math.random, no recursion, no state outside the function. All randomness comes from `rng`, which
// the sandbox seeds from `seed` and passes in (the contract's rng_pattern "rng(seed)").
//
// Ported from numpy: rng.uniform(0, 1, n) becomes a loop of rng.uniform(0, 1) (or rng.random()),
// rng.normal(0, 1, n) a loop of rng.normal(0, 1), np.empty(n) becomes new Float64Array(n).
export function relationship_generation(num_samples, seed, rng) {
  const x = new Float64Array(num_samples);
  const y = new Float64Array(num_samples);
  for (let i = 0; i < num_samples; i++) {
    x[i] = rng.random();
    y[i] = 2 * x[i] + rng.normal(0, 1);
  }
  return { x, y };
}
