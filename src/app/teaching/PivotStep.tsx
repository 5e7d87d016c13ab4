import { useMemo } from 'react';
import type { FeatureMaps } from '../../core/teaching/featureMaps';
import { formatTolerance } from '../format';
import { useWorkbench } from '../store';
import { DecayChart } from './DecayChart';
import { decayChartData } from './decayPoints';
import { PivotStrip } from './PivotStrip';
import { ToleranceSlider } from './ToleranceSlider';
import type { TeachingSelection } from './useTeachingSelection';

/** Step 2: the pivot order of the QR and the decay of |R_kk| / |R_00| against the tolerance. */
export function PivotStep({ selection, maps }: { selection: TeachingSelection; maps: FeatureMaps }) {
  const analysis = useWorkbench((state) => state.analysis)!;
  const tolerance = useWorkbench((state) => state.tolerance);
  const { split, layer } = selection.chosen;
  const qr = analysis.features.qrs[selection.layerIndex];
  const data = useMemo(() => decayChartData(split, qr.pivots, tolerance), [split, qr, tolerance]);
  const images = analysis.features.rows[selection.layerIndex] / (maps.height * maps.width);

  return (
    <>
      <p className="teaching-caption">
        LinDeps writes each filter's maps from all {Math.round(images)} sample images into one column of a big matrix, one column per filter. A QR
        decomposition with column pivoting then picks the filters one by one: first the strongest map, then always the one that adds the most
        signal the picked ones cannot already explain. The curve shows how much new signal each pick adds, relative to the first (|R_kk| / |R_00|).
        Filters are kept while it stays above the tolerance line; the first one below it and every later one are dependent.
      </p>
      <ToleranceSlider layerName={layer.producer} />
      <p data-testid="teaching-split-summary">
        At tolerance {formatTolerance(tolerance)}, <code>{layer.producer}</code> keeps <strong>{split.rank}</strong> of {layer.channels} filters
        and removes <strong>{split.dependentChannels.length}</strong>
        {split.dependentChannels.length > 0 && <> (#{split.dependentChannels.join(', #')})</>}.
      </p>
      <DecayChart data={data} tolerance={tolerance} />
      <h3>The same filters in pivot order, for this image</h3>
      <PivotStrip maps={maps} points={data.points} />
    </>
  );
}
