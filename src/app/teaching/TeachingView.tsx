import { ColorLegend } from './ColorLegend';
import { SelectionBar } from './SelectionBar';
import { StepNavigation } from './StepNavigation';
import { StepPanel } from './StepPanel';
import { STEP_TITLES } from './steps';
import { useTeaching } from './teachingStore';
import { useFeatureMaps } from './useFeatureMaps';
import { useTeachingSelection, type TeachingSelection } from './useTeachingSelection';
import './teaching.css';

/** Renders a step-by-step walk through LinDeps on one analysed layer, with pictures, for teaching. */
export function TeachingView() {
  const selection = useTeachingSelection();
  if (!selection) return null;
  return <TeachingCard selection={selection} />;
}

function TeachingCard({ selection }: { selection: TeachingSelection }) {
  const step = useTeaching((state) => state.step);
  const features = useFeatureMaps(selection.chosen.layer.tap, selection.imageIndex);

  return (
    <section className="card wide teaching" data-testid="teaching-view" aria-labelledby="teaching-title">
      <h2 id="teaching-title">How LinDeps works, step by step</h2>
      <SelectionBar selection={selection} />
      <StepNavigation />
      <div
        role="tabpanel"
        id={`teaching-panel-${step + 1}`}
        aria-labelledby={`teaching-tab-${step + 1}`}
        className="teaching-panel"
        data-testid={`teaching-step-${step + 1}`}
      >
        <h3 className="teaching-step-title">
          Step {step + 1}: {STEP_TITLES[step]}
        </h3>
        <StepPanel step={step} selection={selection} features={features} />
        {step < 4 && <ColorLegend />}
      </div>
    </section>
  );
}
