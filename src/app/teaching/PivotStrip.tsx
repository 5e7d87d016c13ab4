import { Fragment, useMemo } from 'react';
import { channelMap, type FeatureMaps } from '../../core/teaching/featureMaps';
import { formatSmall } from '../format';
import { maxAbs } from './heatmapColors';
import type { DecayPoint } from './decayPoints';
import { MapFigure } from './MapFigure';

/** This image's maps in the order the pivoted QR picked them, with a cut where the kept ones end. */
export function PivotStrip({ maps, points }: { maps: FeatureMaps; points: DecayPoint[] }) {
  const scale = useMemo(() => maxAbs(maps.values), [maps]);
  const size = maps.channels <= 16 ? 56 : 36;

  return (
    <div className="teaching-strip" data-testid="teaching-pivot-strip" aria-label="Feature maps in pivot order">
      {points.map((point, i) => (
        <Fragment key={point.channel}>
          {i > 0 && points[i - 1].kept && !point.kept && (
            <span className="teaching-cut" data-testid="teaching-cut">
              cut
            </span>
          )}
          <MapFigure
            values={channelMap(maps, point.channel)}
            rows={maps.height}
            cols={maps.width}
            scale={scale}
            size={size}
            role={point.kept ? 'kept' : 'dependent'}
            label={`Pick ${point.position + 1}: filter ${point.channel}`}
            caption={
              <>
                #{point.channel}
                <br />
                {formatSmall(point.ratio, 2)}
              </>
            }
          />
        </Fragment>
      ))}
    </div>
  );
}
