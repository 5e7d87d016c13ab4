import { useMemo } from 'react';
import { countParameters, inputNode } from '../../core/graph/graphQueries';
import { countFlops } from '../../core/metrics/flops';
import { formatById } from '../../core/formats/registry';
import { useWorkbench } from '../store';
import { formatInteger } from '../format';

export function ModelCard() {
  const model = useWorkbench((state) => state.model);
  const prunability = useWorkbench((state) => state.prunability);
  const modelError = useWorkbench((state) => state.modelError);
  const modelFiles = useWorkbench((state) => state.modelFiles);
  // Shape inference runs TensorFlow.js layer code for some layers, so count once per model, not per render.
  const counts = useMemo(() => (model ? { params: countParameters(model.graph), flops: countFlops(model.graph) } : null), [model]);

  if (!model) {
    return (
      <section className="card">
        <h2>Model</h2>
        {modelError ? (
          <p className="error" role="alert">{modelError}</p>
        ) : (
          <p className="muted">No model yet. Drop a TF.js LayersModel (model.json and its weight files), a Keras .keras or .h5 file, or an ONNX file.</p>
        )}
        {modelFiles.length > 0 && <p className="muted">Files received: {modelFiles.map((file) => file.name).join(', ')}</p>}
      </section>
    );
  }

  const graph = model.graph;
  return (
    <section className="card" data-testid="model-card">
      <h2>Model</h2>
      <dl className="facts">
        <dt>Name</dt>
        <dd data-testid="model-name">{graph.name}</dd>
        <dt>Format</dt>
        <dd>
          {formatById(model.format).label} ({model.sourceName})
        </dd>
        <dt>Input</dt>
        <dd>[batch, {inputNode(graph).shape.join(', ')}]</dd>
        <dt>Layers</dt>
        <dd>{graph.nodes.length - graph.inputs.length}</dd>
        <dt>Parameters</dt>
        <dd>{formatInteger(counts!.params)}</dd>
        <dt>FLOPs per image</dt>
        <dd>{formatInteger(counts!.flops)}</dd>
      </dl>
      {model.notes.map((note) => (
        <p key={note} className="note">{note}</p>
      ))}
      {prunability && (
        <>
          <h3>Prunable layers ({prunability.prunable.length})</h3>
          <ul className="compact">
            {prunability.prunable.map((layer) => (
              <li key={layer.producer}>
                <code>{layer.writers.join(' + ')}</code> ({layer.channels} filters{layer.writers.length > 1 ? ', joined by Add or Concatenate' : ''}) →{' '}
                {layer.readers.map((reader, i) => (
                  <span key={reader.consumer}>
                    {i > 0 && ', '}
                    <code>{reader.consumer}</code>
                    {reader.consumerKind === 'flattenDense' ? ' via Flatten' : ''}
                  </span>
                ))}
              </li>
            ))}
          </ul>
          {prunability.blocked.length > 0 && (
            <>
              <h3>Not prunable</h3>
              <ul className="compact" data-testid="blocked-layers">
                {prunability.blocked.map((blocked) => (
                  <li key={blocked.layer}>
                    <code>{blocked.layer}</code>: {blocked.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
