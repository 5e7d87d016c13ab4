import { useState } from 'react';
import { describeScaling, type PixelScaling } from '../../core/data/preprocessing';
import { inputNode } from '../../core/graph/graphQueries';
import { setScaling } from '../actions';
import { useWorkbench } from '../store';

const IMAGENET: PixelScaling = { kind: 'meanStd', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

const MNIST: PixelScaling = { kind: 'meanStd', mean: [0.1307], std: [0.3081] };

const CHOICES: { id: string; scaling: PixelScaling; label?: string }[] = [
  { id: 'unit', scaling: { kind: 'unit' } },
  { id: 'raw', scaling: { kind: 'raw' } },
  { id: 'symmetric', scaling: { kind: 'symmetric' } },
  { id: 'imagenet', scaling: IMAGENET, label: 'mean/std per RGB channel (ImageNet defaults, editable)' },
  { id: 'mnist', scaling: MNIST, label: 'mean/std, one value for all channels (MNIST defaults, editable)' },
];

/** Names the select entry for a scaling: a mean/std with one value per channel set is the one-value entry. */
function choiceId(scaling: PixelScaling): string {
  if (scaling.kind !== 'meanStd') return scaling.kind;
  return scaling.mean.length === 1 && scaling.std.length === 1 ? 'mnist' : 'imagenet';
}

/** Parses 1 or 3 comma-separated numbers; returns an error message instead when the text is not that. */
function parseChannelValues(text: string, name: string, positive: boolean): number[] | string {
  const values = text.split(/[\s,]+/).filter(Boolean).map(Number);
  if ((values.length !== 1 && values.length !== 3) || values.some((value) => !Number.isFinite(value))) {
    return `${name} must be 1 or 3 numbers separated by commas, got '${text}'.`;
  }
  if (positive && values.some((value) => value <= 0)) return `${name} must be positive, got '${text}'.`;
  return values;
}

function MeanStdInputs({ scaling }: { scaling: Extract<PixelScaling, { kind: 'meanStd' }> }) {
  const [error, setError] = useState<string | null>(null);
  const update = (field: 'mean' | 'std', text: string) => {
    const parsed = parseChannelValues(text, field, field === 'std');
    if (typeof parsed === 'string') {
      setError(parsed);
      return;
    }
    setError(null);
    setScaling({ ...scaling, [field]: parsed });
  };
  return (
    <>
      <div className="row">
        <label>
          mean <input data-testid="scaling-mean" defaultValue={scaling.mean.join(', ')} onBlur={(event) => update('mean', event.currentTarget.value)} />
        </label>
        <label>
          std <input data-testid="scaling-std" defaultValue={scaling.std.join(', ')} onBlur={(event) => update('std', event.currentTarget.value)} />
        </label>
      </div>
      {error && <p className="error" role="alert">{error} The previous value is still used.</p>}
    </>
  );
}

export function PreprocessingCard() {
  const model = useWorkbench((state) => state.model);
  const scaling = useWorkbench((state) => state.scaling);
  const selected = choiceId(scaling);
  const shape = model ? inputNode(model.graph).shape : null;

  return (
    <section className="card">
      <h2>Preprocessing</h2>
      <p>
        Images are resized (bilinear) to the model input
        {shape ? ` of ${shape[0]} × ${shape[1]} with ${shape[2]} channel${shape[2] === 1 ? '' : 's'}` : ''}.
      </p>
      <label>
        Pixel scaling{' '}
        <select
          data-testid="scaling-select"
          value={selected}
          onChange={(event) => setScaling(CHOICES.find((choice) => choice.id === event.currentTarget.value)!.scaling)}
        >
          {CHOICES.map((choice) => (
            <option key={choice.id} value={choice.id}>
              {choice.label ?? describeScaling(choice.scaling)}
            </option>
          ))}
        </select>
      </label>
      {scaling.kind === 'meanStd' && <MeanStdInputs key={selected} scaling={scaling} />}
      <p className="muted">Model input = {describeScaling(scaling)}. Use the scaling the model was trained with.</p>
    </section>
  );
}
