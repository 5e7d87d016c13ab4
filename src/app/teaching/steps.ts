/** Short titles of the five steps, in teaching order. */
export const STEP_TITLES = ['Feature maps', 'Pivot order', 'Reconstruction', 'Next layer', 'Proof'] as const;
