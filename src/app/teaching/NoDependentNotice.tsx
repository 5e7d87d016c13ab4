import { formatTolerance } from '../format';
import { useWorkbench } from '../store';
import { goToStep } from './teachingStore';

/** Shown in steps 3 and 4 when the chosen layer keeps every filter. */
export function NoDependentNotice({ layerName }: { layerName: string }) {
  const tolerance = useWorkbench((state) => state.tolerance);
  return (
    <div className="banner warn" data-testid="teaching-no-dependent">
      <p>
        <code>{layerName}</code> has no dependent filter at tolerance {formatTolerance(tolerance)}: every one of its maps adds enough new signal
        to be kept, so there is nothing to rebuild or remove here. Raise the tolerance in step 2 (for example to 1e-2) or pick another layer.
      </p>
      <button onClick={() => goToStep(1)}>Go to step 2</button>
    </div>
  );
}
