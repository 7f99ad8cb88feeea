import type { Scenario, ScenarioResult } from "./scenario-types.ts";

export type CheckScenarioResultParameters = {
  readonly scenario: Scenario;
  readonly result: ScenarioResult;
  /** Also compare the informational `bondsUnasserted` targets, with this tolerance. Default: skip. */
  readonly bondsUnassertedTolerance?: number;
};

export type CheckScenarioResultReturnType = {
  /** True when every checked value is within tolerance and every permit matches. */
  readonly passed: boolean;
  /** One line per value out of tolerance or mismatched. */
  readonly failures: string[];
  /** Largest deviation over all checked values (emission deviations divided by the epoch's emission). */
  readonly maxDeviation: number;
  /** Largest deviation per expected key. */
  readonly maxDeviationByKey: Record<string, number>;
  /** How many values were compared. */
  readonly checkedValues: number;
};

const FRACTION_KEYS = ["consensus", "incentive", "dividends", "validatorTrust"] as const;
const EMISSION_KEYS = ["minerEmission", "validatorEmission"] as const;

/**
 * Compares a replay result with a scenario's `expected` entries the way SCENARIO-FORMAT.md says:
 * fractions by absolute deviation, emissions by deviation divided by the epoch's `emission`, permits
 * exactly; absent keys and null entries are not checked. Usable on the result of any replay (the
 * reference or the contracts).
 */
export function checkScenarioResult(params: CheckScenarioResultParameters): CheckScenarioResultReturnType {
  const { scenario, result } = params;
  const failures: string[] = [];
  const maxDeviationByKey: Record<string, number> = {};
  let checkedValues = 0;
  const tolerance = scenario.tolerance;

  const epochSteps = scenario.steps.filter((s) => s.epoch);
  if (result.epochs.length !== epochSteps.length)
    failures.push(`expected ${epochSteps.length} epochs, result has ${result.epochs.length}`);
  if (scenario.expected.length !== epochSteps.length)
    failures.push(`scenario has ${scenario.expected.length} expected entries for ${epochSteps.length} epoch steps`);

  const record = (key: string, label: string, deviation: number, tol: number) => {
    checkedValues++;
    maxDeviationByKey[key] = Math.max(maxDeviationByKey[key] ?? 0, deviation);
    if (!(deviation <= tol)) failures.push(`${label}: deviation ${deviation} > ${tol}`);
  };

  scenario.expected.forEach((expected, e) => {
    const got = result.epochs[e];
    if (!got) return;
    const step = epochSteps[e];
    const emission = step?.emission !== undefined ? BigInt(step.emission) : null;

    for (const key of FRACTION_KEYS) {
      expected[key]?.forEach((want, uid) => {
        if (want === null) return;
        record(
          key,
          `epoch ${e} ${key}[${uid}] got ${got[key][uid]} want ${want}`,
          Math.abs((got[key][uid] ?? NaN) - want),
          tolerance,
        );
      });
    }
    expected.validatorPermit?.forEach((want, uid) => {
      if (want === null) return;
      checkedValues++;
      if (got.validatorPermit[uid] !== want)
        failures.push(`epoch ${e} validatorPermit[${uid}] got ${got.validatorPermit[uid]} want ${want}`);
    });
    const compareBonds = (key: string, rows: typeof expected.bonds, tol: number) =>
      rows?.forEach((row, i) =>
        row?.forEach((want, j) => {
          if (want === null) return;
          const value = got.bonds[i]?.[j] ?? NaN;
          record(key, `epoch ${e} ${key}[${i}][${j}] got ${value} want ${want}`, Math.abs(value - want), tol);
        }),
      );
    compareBonds("bonds", expected.bonds, tolerance);
    if (params.bondsUnassertedTolerance !== undefined)
      compareBonds("bondsUnasserted", expected.bondsUnasserted, params.bondsUnassertedTolerance);

    for (const key of EMISSION_KEYS) {
      expected[key]?.forEach((want, uid) => {
        if (want === null) return;
        if (emission === null || emission === 0n) {
          failures.push(`epoch ${e} ${key}: the step has no emission to scale the deviation by`);
          return;
        }
        const value = got[key][uid];
        const diff = value === undefined ? NaN : Number(BigInt(value) - BigInt(want));
        record(
          key,
          `epoch ${e} ${key}[${uid}] got ${value} want ${want}`,
          Math.abs(diff) / Number(emission),
          tolerance,
        );
      });
    }
  });

  const deviations = Object.values(maxDeviationByKey);
  return {
    passed: failures.length === 0,
    failures,
    maxDeviation: deviations.length ? Math.max(...deviations) : 0,
    maxDeviationByKey,
    checkedValues,
  };
}
