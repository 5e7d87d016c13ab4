import { useMemo } from 'react';
import { countDependent, dependenciesAtTolerance } from '../../core/analysis/layerDependencies';
import { useWorkbench } from '../store';
import { formatTolerance } from '../format';
import { DependencyTable } from './DependencyTable';
import { RankChart } from './RankChart';
import { ToleranceControl } from './ToleranceControl';

export function DependenciesCard() {
  const analysis = useWorkbench((state) => state.analysis);
  const tolerance = useWorkbench((state) => state.tolerance);
  const dependencies = useMemo(() => (analysis ? dependenciesAtTolerance(analysis.features, tolerance) : []), [analysis, tolerance]);
  if (!analysis) return null;

  const dependent = countDependent(dependencies);
  const total = dependencies.reduce((sum, { layer }) => sum + layer.channels, 0);
  return (
    <section className="card wide">
      <h2>Dependent filters</h2>
      <ToleranceControl />
      {dependencies.length === 0 ? (
        <p className="banner warn" data-testid="dependency-summary">
          This model has no prunable layer, so nothing can be removed. See “Not prunable” in the model panel for the reasons.
        </p>
      ) : dependent === 0 ? (
        <p className="banner warn" data-testid="dependency-summary">
          No dependent filters at tolerance {formatTolerance(tolerance)}: 0 of {total} filters are linear combinations of the others,
          so pruning would remove nothing. A larger tolerance accepts approximate dependencies, at the cost of changed outputs.
        </p>
      ) : (
        <p className="banner ok" data-testid="dependency-summary">
          {dependent} of {total} filters are dependent at tolerance {formatTolerance(tolerance)}.
        </p>
      )}
      {analysis.features.layers.map((layer, i) =>
        analysis.features.rows[i] < layer.channels ? (
          <p key={layer.producer} className="banner warn" data-testid={`too-few-rows-${layer.producer}`}>
            <code>{layer.producer}</code> has only {analysis.features.rows[i]} feature rows for {layer.channels} channels, so its rank
            cannot exceed {analysis.features.rows[i]} and its “dependent” filters reflect too few images. Add images before pruning it.
          </p>
        ) : null,
      )}
      <RankChart dependencies={dependencies} />
      <DependencyTable dependencies={dependencies} tolerance={tolerance} />
    </section>
  );
}
