import { channelMap, type FeatureMaps } from '../../core/teaching/featureMaps';
import type { Coefficient } from '../../core/teaching/reconstruction';
import { formatSmall } from '../format';
import { MapFigure } from './MapFigure';
import { countOf } from './plural';

/** Draws the largest terms of sum_k T_kd F_k as "T x map" pictures. */
export function CoefficientStrip({ maps, terms, scale, remaining }: { maps: FeatureMaps; terms: Coefficient[]; scale: number; remaining: number }) {
  return (
    <div className="teaching-strip" data-testid="teaching-coefficients">
      {terms.map(({ channel, value }, i) => (
        <span key={channel} className="teaching-term" data-testid={`teaching-coefficient-${channel}`}>
          {i > 0 && <span className="teaching-operator">+</span>}
          <span className="teaching-coefficient">{formatSmall(value, 3)} ×</span>
          <MapFigure
            values={channelMap(maps, channel)}
            rows={maps.height}
            cols={maps.width}
            scale={scale}
            size={56}
            role="kept"
            label={`Kept map of filter ${channel}`}
            caption={`#${channel}`}
          />
        </span>
      ))}
      {remaining > 0 && <span className="teaching-operator">+ {countOf(remaining, 'smaller nonzero term')}</span>}
    </div>
  );
}
