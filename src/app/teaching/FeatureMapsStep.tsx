import { useMemo } from 'react';
import { channelMap, type FeatureMaps } from '../../core/teaching/featureMaps';
import { formatTolerance } from '../format';
import { useWorkbench } from '../store';
import { maxAbs } from './heatmapColors';
import { MapFigure } from './MapFigure';
import { setScaleEachMap, useTeaching } from './teachingStore';
import type { TeachingSelection } from './useTeachingSelection';
import { countOf } from './plural';

/** Thumbnail width that keeps a layer's maps on a few rows. */
export function thumbnailSize(channels: number): number {
  if (channels <= 16) return 88;
  if (channels <= 64) return 64;
  return 40;
}

/** Step 1: every channel of the tapped tensor for one image, kept and dependent marked. */
export function FeatureMapsStep({ selection, maps }: { selection: TeachingSelection; maps: FeatureMaps }) {
  const tolerance = useWorkbench((state) => state.tolerance);
  const scaleEachMap = useTeaching((state) => state.scaleEachMap);
  const channelMaps = useMemo(() => Array.from({ length: maps.channels }, (_, c) => channelMap(maps, c)), [maps]);
  const layerScale = useMemo(() => maxAbs(maps.values), [maps]);
  const { layer, split } = selection.chosen;
  const dependent = new Set(split.dependentChannels);
  const size = thumbnailSize(maps.channels);

  return (
    <>
      <p className="teaching-caption">
        Each picture is one filter's feature map for this image, taken where the next layer (<code>{layer.consumer}</code>) reads it, after
        the activation and any pooling.
        {layer.readers.length > 1 &&
          ` These channels are read by ${layer.readers.length} layers (${layer.readers.map((reader) => reader.consumer).join(', ')}), and a filter goes only if it is redundant for all of them.`} LinDeps looks for maps that equal a weighted sum of other maps: such a filter adds nothing new, so the
        next layer can do without it. Orange frames mark the {countOf(split.dependentChannels.length, 'filter')} removed at tolerance{' '}
        {formatTolerance(tolerance)} (see step 2), blue frames the {split.rank} kept ones.
      </p>
      <label className="teaching-option">
        <input type="checkbox" checked={scaleEachMap} onChange={(event) => setScaleEachMap(event.currentTarget.checked)} /> Scale each map to
        its own maximum (otherwise all maps share one scale, so weak maps look pale)
      </label>
      <div className="teaching-map-grid" data-testid="teaching-feature-maps">
        {channelMaps.map((values, c) => {
          const role = dependent.has(c) ? 'dependent' : 'kept';
          return (
            <MapFigure
              key={c}
              values={values}
              rows={maps.height}
              cols={maps.width}
              scale={scaleEachMap ? maxAbs(values) : layerScale}
              size={size}
              role={role}
              label={`Feature map of filter ${c}, ${role}`}
              caption={`#${c} ${role}`}
              testId={`teaching-map-${c}`}
            />
          );
        })}
      </div>
      <p className="muted">
        {maps.height} × {maps.width} pixels per map, {maps.channels} maps.
      </p>
    </>
  );
}
