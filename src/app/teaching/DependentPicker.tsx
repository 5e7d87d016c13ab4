import type { DependencySplit } from '../../core/linalg/dependencySplit';
import { formatSmall } from '../format';
import { chooseDependent } from './teachingStore';

/** Chooses one dependent filter of the layer for steps 3 and 4. */
export function DependentPicker({ split, dependentIndex }: { split: DependencySplit; dependentIndex: number }) {
  return (
    <label className="teaching-option">
      Removed filter{' '}
      <select
        data-testid="teaching-dependent"
        value={split.dependentChannels[dependentIndex]}
        onChange={(event) => chooseDependent(Number(event.currentTarget.value))}
      >
        {split.dependentChannels.map((channel, j) => (
          <option key={channel} value={channel}>
            #{channel} (ratio {formatSmall(split.diagRatios[split.rank + j], 2)}, residual over all images {formatSmall(split.relativeResiduals[j], 2)})
          </option>
        ))}
      </select>
    </label>
  );
}
