import { formatSmall } from '../format';
import { maxAbs } from './heatmapColors';
import { MapFigure } from './MapFigure';

export interface SliceRowProps {
  keptChannel: number;
  coefficient: number;
  keptSlice: Float32Array;
  addedSlice: Float32Array;
  resultSlice: Float32Array;
  rows: number;
  cols: number;
  size: number;
  /** Colour scale of all three pictures, unless each picture gets its own. */
  sharedScale: number;
  scaleEachPicture: boolean;
  /** Index notation of the kept slice before (prime '') and after (prime "'") the change. */
  notation: (prime: string) => string;
}

/** Draws one kept channel's kernel slice, the multiple of the removed slice it receives, and the sum. */
export function SliceRow({ keptChannel, coefficient, keptSlice, addedSlice, resultSlice, rows, cols, size, sharedScale, scaleEachPicture, notation }: SliceRowProps) {
  const figure = { rows, cols, size };
  const scaleOf = (values: Float32Array) => (scaleEachPicture ? maxAbs(values) : sharedScale);
  return (
    <div className="teaching-equation" data-testid={`teaching-slice-row-${keptChannel}`}>
      <MapFigure {...figure} scale={scaleOf(keptSlice)} values={keptSlice} role="kept" label={`Weights for kept filter ${keptChannel}`} caption={<>weights of #{keptChannel}<br />{notation('')}</>} testId={`teaching-kept-slice-${keptChannel}`} />
      <span className="teaching-operator">+</span>
      <MapFigure
        {...figure}
        scale={scaleOf(addedSlice)}
        values={addedSlice}
        role="dependent"
        label={`${formatSmall(coefficient, 3)} times the removed weights`}
        caption={`${formatSmall(coefficient, 3)} × removed`}
        testId={`teaching-added-slice-${keptChannel}`}
      />
      <span className="teaching-operator">=</span>
      <MapFigure {...figure} scale={scaleOf(resultSlice)} values={resultSlice} role="kept" label={`New weights for kept filter ${keptChannel}`} caption={<>new weights of #{keptChannel}<br />{notation("'")}</>} testId={`teaching-result-slice-${keptChannel}`} />
    </div>
  );
}
