// A user-supplied generator for examples/linear-code.yaml: x uniform on (0, 1), y = 2x + N(0, 1).
// It runs in synthproof's sandbox (QuickJS in WebAssembly): no imports, no I/O, no Math.random;
// all randomness comes from the seeded `rng` it is given.
export function generate(num_samples, seed, rng) {
  const x = new Float64Array(num_samples);
  const y = new Float64Array(num_samples);
  for (let i = 0; i < num_samples; i++) {
    x[i] = rng.random();
    y[i] = 2 * x[i] + rng.normal(0, 1);
  }
  return { x, y };
}
