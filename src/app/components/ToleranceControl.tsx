import { useEffect, useState } from 'react';
import { TOLERANCE_RULE } from '../../core/analysis/tolerance';
import { setTolerance, setToleranceText } from '../actions';
import { formatTolerance } from '../format';
import { useWorkbench } from '../store';

const MIN_EXPONENT = -12;
const MAX_EXPONENT = -1;

/** Tolerance as a typed number and as a log-scale slider. */
export function ToleranceControl() {
  const tolerance = useWorkbench((state) => state.tolerance);
  const toleranceError = useWorkbench((state) => state.toleranceError);
  const [text, setText] = useState(formatTolerance(tolerance));
  // Keep what the user typed (1e-2 stays 1e-2) unless the slider changed the value.
  useEffect(() => setText((current) => (Number(current) === tolerance ? current : formatTolerance(tolerance))), [tolerance]);
  const exponent = tolerance > 0 ? Math.log10(tolerance) : MIN_EXPONENT;

  return (
    <div className="tolerance">
      <label>
        Tolerance{' '}
        <input
          data-testid="tolerance-input"
          aria-invalid={toleranceError !== null}
          value={text}
          size={8}
          onChange={(event) => {
            const value = event.currentTarget.value;
            setText(value);
            setToleranceText(value);
          }}
        />
      </label>
      <input
        type="range"
        aria-label="Tolerance exponent"
        min={MIN_EXPONENT}
        max={MAX_EXPONENT}
        step={0.1}
        value={Math.max(MIN_EXPONENT, Math.min(MAX_EXPONENT, exponent))}
        onChange={(event) => setTolerance(Number((10 ** Number(event.currentTarget.value)).toPrecision(2)))}
      />
      {toleranceError && (
        <p className="error" role="alert" data-testid="tolerance-error">
          {toleranceError} The table still shows tolerance {formatTolerance(tolerance)}.
        </p>
      )}
      <p className="muted" data-testid="tolerance-rule">
        Rule: {TOLERANCE_RULE}. Near-exact dependencies in float32 feature maps have ratios near 1e-7; the default 1e-5 counts only those.
      </p>
    </div>
  );
}
