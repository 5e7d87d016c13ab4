import { top1Accuracy } from '../../core/metrics/compareOutputs';
import { analyze, imageLabels, setBatchSize } from '../actions';
import { formatInteger } from '../format';
import { useWorkbench } from '../store';
import { TaskProgress } from './TaskProgress';

export function AnalysisCard() {
  const model = useWorkbench((state) => state.model);
  const images = useWorkbench((state) => state.images);
  const task = useWorkbench((state) => state.analysisTask);
  const backend = useWorkbench((state) => state.backend);
  const analysis = useWorkbench((state) => state.analysis);
  const batchSize = useWorkbench((state) => state.batchSize);
  const clearedReason = useWorkbench((state) => state.resultsClearedReason);
  useWorkbench((state) => state.classNamesText);
  const accuracy = analysis ? top1Accuracy(analysis.original, imageLabels().map((match) => match.classIndex)) : null;
  const ready = model !== null && images.length > 0;

  return (
    <section className="card">
      <h2>Analyze</h2>
      <p className="muted">
        Runs the model on the sample images, collects each prunable layer's feature maps batch by batch and
        accumulates their QR factor in float64 in Web Workers.
      </p>
      <button className="primary" data-testid="analyze-button" disabled={!ready || task.phase === 'running'} onClick={() => void analyze()}>
        Analyze
      </button>
      {!ready && <span className="muted"> Needs a model and at least one image.</span>}
      <label className="batch-size">
        Images per batch{' '}
        <input
          type="number"
          min={1}
          max={256}
          value={batchSize}
          disabled={task.phase === 'running'}
          onChange={(event) => setBatchSize(Number(event.currentTarget.value))}
        />
      </label>
      <p className="muted">Smaller batches use less memory for feature maps; the result does not depend on the batch size.</p>
      <TaskProgress task={task} testId="analysis" />
      {backend && (
        <p data-testid="backend">
          Backend: <strong data-testid="backend-name">{backend.backend}</strong> ({backend.reason})
        </p>
      )}
      {clearedReason && !analysis && <p className="note">{clearedReason}</p>}
      {analysis && (
        <p data-testid="analysis-done">
          Analysed {formatInteger(images.length)} images: {analysis.features.layers.length} layers,{' '}
          {formatInteger(analysis.features.rows[0] ?? 0)} rows in the first layer's feature matrix.
        </p>
      )}
      {accuracy && accuracy.labelled > 0 && (
        <p data-testid="original-accuracy">
          Original model top-1: {accuracy.correct} / {accuracy.labelled} labelled images.
        </p>
      )}
    </section>
  );
}
