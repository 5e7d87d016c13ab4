import { useMemo } from 'react';
import type { FeatureMaps } from '../../core/teaching/featureMaps';
import { reconstructDependent, termsByContribution } from '../../core/teaching/reconstruction';
import { formatSmall } from '../format';
import { CoefficientStrip } from './CoefficientStrip';
import { DependentPicker } from './DependentPicker';
import { maxAbs } from './heatmapColors';
import { MapFigure } from './MapFigure';
import { NoDependentNotice } from './NoDependentNotice';
import type { TeachingSelection } from './useTeachingSelection';
import { rebuildVerdict } from './verdict';

const SHOWN_TERMS = 4;

function errorText(relativeError: number | null): string {
  if (relativeError === null) return 'This filter is silent (all zero) on this image, so there is nothing to rebuild here.';
  return `Relative error on this image: ${formatSmall(relativeError, 2)} (size of the difference divided by the size of the original map).`;
}

/** Step 3: a dependent map, its rebuild from the kept maps, and what is left over. */
export function ReconstructionStep({ selection, maps }: { selection: TeachingSelection; maps: FeatureMaps }) {
  const { split, layer } = selection.chosen;
  const { dependentIndex } = selection;
  const result = useMemo(() => (dependentIndex === null ? null : reconstructDependent(maps, split, dependentIndex)), [maps, split, dependentIndex]);
  if (dependentIndex === null || result === null) return <NoDependentNotice layerName={layer.producer} />;

  const channel = split.dependentChannels[dependentIndex];
  const terms = termsByContribution(maps, split, dependentIndex);
  const scale = maxAbs(result.original, result.reconstruction);
  const figure = { rows: maps.height, cols: maps.width, scale, size: 160 };
  return (
    <>
      <p className="teaching-caption">
        The kept maps can rebuild a removed map: multiply each kept map by a number T and add them up. The numbers T come out of the same QR
        decomposition and give the best fit over all sample images at once (least squares). A nearly blank difference map means the filter was truly
        redundant; a visible one means removing it will change the network's output a little.
      </p>
      <DependentPicker split={split} dependentIndex={dependentIndex} />
      <div className="teaching-equation">
        <MapFigure {...figure} values={result.original} role="dependent" label={`Map of removed filter ${channel}`} caption={`map of #${channel}`} testId="teaching-dependent-map" />
        <span className="teaching-operator">−</span>
        <MapFigure {...figure} values={result.reconstruction} role="kept" label="Rebuilt from the kept maps" caption="rebuilt: sum of T × kept maps" testId="teaching-reconstruction-map" />
        <span className="teaching-operator">=</span>
        <MapFigure {...figure} values={result.difference} role="plain" label="Original minus rebuilt" caption="difference" testId="teaching-difference-map" />
      </div>
      <p data-testid="teaching-relative-error">
        {errorText(result.relativeError)} Over all sample images: {formatSmall(split.relativeResiduals[dependentIndex], 2)}.
      </p>
      <p className="note" data-testid="teaching-verdict">
        {rebuildVerdict(split, dependentIndex)}
      </p>
      <h3>The largest terms of the sum</h3>
      <CoefficientStrip maps={maps} terms={terms.slice(0, SHOWN_TERMS)} scale={maxAbs(maps.values)} remaining={Math.max(0, terms.length - SHOWN_TERMS)} />
    </>
  );
}
