/** Learning rate plan: linear warm-up to `peak` over `warmupSteps`, then cosine decay to `peak * finalFraction` at `totalSteps`. */
export interface LearningRateSchedule {
  peak: number;
  warmupSteps: number;
  totalSteps: number;
  finalFraction: number;
}

export function learningRateAt(schedule: LearningRateSchedule, step: number): number {
  const { peak, warmupSteps, totalSteps, finalFraction } = schedule;
  if (step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
  const cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
  return peak * (finalFraction + (1 - finalFraction) * cosine);
}
