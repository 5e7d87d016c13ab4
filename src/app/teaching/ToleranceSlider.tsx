import { setTolerance } from '../actions';
import { formatTolerance } from '../format';
import { useWorkbench } from '../store';
import { chooseLayer } from './teachingStore';

const MIN_EXPONENT = -12;
const MAX_EXPONENT = -1;
const PRESETS = [1e-5, 1e-3, 1e-2, 5e-2, 1e-1];

/**
 * Sets the store's tolerance with a log-scale slider and a few preset values,
 * so a class can watch the cut move. Moving it pins the shown layer, which
 * would otherwise follow the default (the first layer with a dependent filter).
 */
export function ToleranceSlider({ layerName }: { layerName: string }) {
  const tolerance = useWorkbench((state) => state.tolerance);
  const changeTolerance = (value: number) => {
    chooseLayer(layerName);
    setTolerance(value);
  };
  const exponent = tolerance > 0 ? Math.log10(tolerance) : MIN_EXPONENT;

  return (
    <div className="row teaching-tolerance">
      <label>
        Tolerance <strong data-testid="teaching-tolerance-value">{formatTolerance(tolerance)}</strong>{' '}
        <input
          type="range"
          data-testid="teaching-tolerance-slider"
          min={MIN_EXPONENT}
          max={MAX_EXPONENT}
          step={0.1}
          value={Math.max(MIN_EXPONENT, Math.min(MAX_EXPONENT, exponent))}
          aria-valuetext={formatTolerance(tolerance)}
          onChange={(event) => changeTolerance(Number((10 ** Number(event.currentTarget.value)).toPrecision(2)))}
        />
      </label>
      <span role="group" aria-label="Tolerance presets">
        {PRESETS.map((preset) => (
          <button key={preset} aria-pressed={preset === tolerance} onClick={() => changeTolerance(preset)}>
            {formatTolerance(preset)}
          </button>
        ))}
      </span>
    </div>
  );
}
