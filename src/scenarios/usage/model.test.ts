/**
 * The model's pieces: the survival curve meets each retention knot exactly with a constant daily
 * hazard between knots, the lifetime draw inverts it, the calendar, the samplers' laws, and the
 * row encoder writes costs exactly as String does.
 */
import { describe, expect, test } from "vitest";
import { ksTest } from "../../checks/stats.js";
import { checkConfig } from "../../core/config.js";
import { keyedStreams } from "../../core/rng.js";
import { round6 } from "./account.js";
import { lifetime } from "./adoption.js";
import { usageConfigSchema } from "./config.js";
import { samplers } from "./draws.js";
import { buildModel, survivalCurve } from "./model.js";
import { RowEncoder } from "./row-encoder.js";

const KNOTS = [
  { day: 30, survival: 0.8 },
  { day: 60, survival: 0.65 },
  { day: 90, survival: 0.55 },
];

describe("survival curve", () => {
  const s = survivalCurve(14, KNOTS, 0.003, 400);
  test("1 through the trial's last day (adoption + 13), then below 1", () => {
    for (let t = 0; t <= 13; t++) expect(s[t]).toBe(1);
    expect(s[14]).toBeLessThan(1);
  });
  test.each(KNOTS)("meets the day-$day target $survival exactly", ({ day, survival }) => {
    expect(s[day]).toBe(survival);
  });
  test.each([
    [13, 30],
    [30, 60],
    [60, 90],
  ])("a constant daily hazard from day %i to day %i", (a, b) => {
    const h = 1 - (s[a + 1] as number) / (s[a] as number);
    for (let t = a + 1; t < b; t++) expect(1 - (s[t + 1] as number) / (s[t] as number)).toBeCloseTo(h, 12);
  });
  test("after the last knot the hazard is post90_daily_churn", () => {
    for (let t = 90; t < 400; t++) expect(1 - (s[t + 1] as number) / (s[t] as number)).toBeCloseTo(0.003, 12);
  });
});

describe("lifetime", () => {
  const s = survivalCurve(14, KNOTS, 0.003, 400);
  test.each([0.999999, 0.8, 0.65, 0.5, 0.01, 0])("u = %f: the first day with S below u", (u) => {
    const t = lifetime(s, u);
    if (t < s.length) expect(s[t] as number).toBeLessThan(u);
    if (t > 0) expect(s[t - 1] as number).toBeGreaterThanOrEqual(u);
  });
  test("survival at day t is P(lifetime > t) = S[t]: churn is after adoption + 30 exactly when u <= S[30]", () => {
    expect(lifetime(s, 0.8)).toBeGreaterThan(30);
    expect(lifetime(s, 0.8 + 1e-12)).toBeLessThanOrEqual(30);
    expect(lifetime(s, 0)).toBe(s.length);
  });
});

describe("calendar", () => {
  test("2024 (leap), from 10 February: weekdays Monday first, month lengths, whole months", () => {
    const m = buildModel(checkConfig(usageConfigSchema, { dataset: { start_date: "2024-02-10", end_date: "2024-04-20" } }));
    expect(m.days).toBe(20 + 31 + 20);
    expect(m.dates[0]).toBe("2024-02-10");
    expect(m.weekday[0]).toBe(5); // a Saturday
    expect(m.months.map((x) => [x.label, x.daysInMonth, x.firstOffset, x.full])).toEqual([
      ["2024-02", 29, -9, false],
      ["2024-03", 31, 20, true],
      ["2024-04", 30, 51, false],
    ]);
    expect(m.multiplier[0]).toBeCloseTo(0.6, 15);
  });
});

describe("samplers: their laws (KS at alpha 1e-6 each, a fixed stream: a false failure has probability 1e-6)", () => {
  const draw = samplers();
  const streams = keyedStreams(1, "usage-test");
  const N = 20_000;
  test("Gamma(2.5) and Gamma(0.4): mean and variance within 5 standard errors", () => {
    for (const shape of [2.5, 0.4]) {
      const rng = streams.at("gamma", shape);
      const x = Array.from({ length: N }, () => draw.gamma(rng, shape));
      const mean = x.reduce((a, b) => a + b, 0) / N;
      const v = x.reduce((a, b) => a + (b - mean) ** 2, 0) / (N - 1);
      expect(Math.abs(mean - shape)).toBeLessThan(5 * Math.sqrt(shape / N));
      expect(Math.abs(v - shape) / shape).toBeLessThan(0.1);
    }
  });
  test("NegBin(mean 5, k 2): mean and variance mu + mu^2 / k", () => {
    const rng = streams.at("negbin");
    const x = Array.from({ length: N }, () => draw.negBin(rng, 5, 2));
    const mean = x.reduce((a, b) => a + b, 0) / N;
    const v = x.reduce((a, b) => a + (b - mean) ** 2, 0) / (N - 1);
    expect(Math.abs(mean - 5)).toBeLessThan(5 * Math.sqrt(17.5 / N));
    expect(Math.abs(v - 17.5) / 17.5).toBeLessThan(0.1);
  });
  test("log-normal below its cap is the log-normal (KS on the log)", () => {
    const rng = streams.at("lognormal");
    const logs = Array.from({ length: 5000 }, () => Math.log(draw.logNormal(rng, 0.05, 0.8, Number.POSITIVE_INFINITY) / 0.05) / 0.8);
    const phi = (z: number) => 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3)));
    // the tanh form of the normal CDF is within 2e-4 of it: far below KS's 0.04 limit at n = 5000
    expect(ksTest(logs, phi).pValue).toBeGreaterThan(1e-6);
    expect(Math.max(...Array.from({ length: 2000 }, () => draw.logNormal(rng, 0.05, 0.8, 0.5)))).toBe(0.5);
  });
  test("Beta(1.5, 3.5) has mean 0.3", () => {
    const rng = streams.at("beta");
    const x = Array.from({ length: N }, () => draw.beta(rng, 1.5, 3.5));
    expect(Math.abs(x.reduce((a, b) => a + b, 0) / N - 0.3)).toBeLessThan(5 * Math.sqrt(0.035 / N));
  });
  test("Poisson(1200), drawn in chunks of 500: mean and variance 1200", () => {
    const rng = streams.at("poisson-big");
    const x = Array.from({ length: 4000 }, () => draw.poisson(rng, 1200));
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const v = x.reduce((a, b) => a + (b - mean) ** 2, 0) / (x.length - 1);
    expect(Math.abs(mean - 1200)).toBeLessThan(5 * Math.sqrt(1200 / x.length));
    expect(Math.abs(v - 1200) / 1200).toBeLessThan(0.15);
  });

  test("NegBin whose P(0) underflows (mean 5000, k 200) is drawn as gamma-Poisson with its mean", () => {
    const rng = streams.at("negbin-big");
    const x = Array.from({ length: 2000 }, () => draw.negBin(rng, 5000, 200));
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    expect(Math.abs(mean - 5000)).toBeLessThan(5 * Math.sqrt((5000 + 5000 ** 2 / 200) / x.length));
  });

  test("Poisson(0) and NegBin(0) are 0", () => {
    expect(draw.poisson(streams.at("p0"), 0)).toBe(0);
    expect(draw.negBin(streams.at("n0"), 0, 2)).toBe(0);
  });
});

describe("row encoder", () => {
  test("a cost is written exactly as String(round6(x)), for 100,000 costs of every size", () => {
    const m = buildModel(checkConfig(usageConfigSchema, {}));
    const enc = new RowEncoder(m);
    const rng = keyedStreams(3, "encoder").at(0);
    const dec = new TextDecoder();
    for (let i = 0; i < 100_000; i++) {
      const x = round6(10 ** (rng.double() * 12 - 6) * (i % 7 === 0 ? 1 : rng.double()));
      enc.cost(x);
      const text = dec.decode(enc.take());
      if (text !== String(x)) expect(text).toBe(String(x));
    }
  });
});
