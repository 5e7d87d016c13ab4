import type { FeatureMapsState } from './useFeatureMaps';
import { ConsumerStep } from './ConsumerStep';
import { FeatureMapsStep } from './FeatureMapsStep';
import { PivotStep } from './PivotStep';
import { ProofStep } from './ProofStep';
import { ReconstructionStep } from './ReconstructionStep';
import type { TeachingSelection } from './useTeachingSelection';

/** Renders the content of one step. Steps 1 to 3 wait for this image's feature maps. */
export function StepPanel({ step, selection, features }: { step: number; selection: TeachingSelection; features: FeatureMapsState }) {
  if (step === 3) return <ConsumerStep selection={selection} />;
  if (step === 4) return <ProofStep selection={selection} />;
  if (features.phase === 'loading') return <p className="muted">Computing this image's feature maps…</p>;
  if (features.phase === 'error') return <p className="error">The feature maps could not be computed: {features.message}</p>;
  if (step === 0) return <FeatureMapsStep selection={selection} maps={features.maps} />;
  if (step === 1) return <PivotStep selection={selection} maps={features.maps} />;
  return <ReconstructionStep selection={selection} maps={features.maps} />;
}
