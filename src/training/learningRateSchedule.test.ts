import { describe, expect, it } from 'vitest';
import { learningRateAt } from './learningRateSchedule';

describe('learning rate schedule', () => {
  const schedule = { peak: 0.01, warmupSteps: 10, totalSteps: 110, finalFraction: 0.1 };

  it('warms up linearly', () => {
    expect(learningRateAt(schedule, 0)).toBeCloseTo(0.001, 12);
    expect(learningRateAt(schedule, 9)).toBeCloseTo(0.01, 12);
  });

  it('decays along a cosine', () => {
    expect(learningRateAt(schedule, 10)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(schedule, 60)).toBeCloseTo(0.0055, 12);
    expect(learningRateAt(schedule, 110)).toBeCloseTo(0.001, 12);
    expect(learningRateAt(schedule, 500)).toBeCloseTo(0.001, 12);
  });
});
