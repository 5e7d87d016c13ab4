import { useMemo } from 'react';
import { addScaled, kernelSlice, strongestReader } from '../../core/teaching/kernelSlices';
import { coefficientsOf } from '../../core/teaching/reconstruction';
import { useWorkbench } from '../store';
import { consumerView, sliceNotation, type ConsumerView } from './consumerView';
import { DependentPicker } from './DependentPicker';
import { maxAbs } from './heatmapColors';
import { MapFigure } from './MapFigure';
import { NoDependentNotice } from './NoDependentNotice';
import { OutputChannelPicker } from './OutputChannelPicker';
import { SliceRow } from './SliceRow';
import { setScaleEachMap, useTeaching } from './teachingStore';
import type { TeachingSelection } from './useTeachingSelection';
import { countOf } from './plural';

const SHOWN_KEPT = 3;

function kernelCaption(view: ConsumerView, consumer: string): string {
  if (view.op === 'Conv2D') {
    return `The next layer, ${consumer}, is a convolution: for each of its output channels it slides one small kernel slice over every input map and adds up the results.`;
  }
  if (view.rows * view.cols > 1) {
    return `The next layer, ${consumer}, is a dense layer after Flatten: every pixel of every map has its own weight, so one map's weights form a picture as large as the map.`;
  }
  return `The next layer, ${consumer}, is a dense layer that reads one number per map, so each map has one weight per output.`;
}

/** Step 4: how the consumer's kernel takes over the removed filter's role. */
export function ConsumerStep({ selection }: { selection: TeachingSelection }) {
  const graph = useWorkbench((state) => state.model!.graph);
  const chosenOutput = useTeaching((state) => state.outputChannel);
  const scaleEachPicture = useTeaching((state) => state.scaleEachMap);
  const { split, layer } = selection.chosen;
  const { dependentIndex } = selection;
  const view = useMemo(() => consumerView(graph, layer), [graph, layer]);
  if (dependentIndex === null) return <NoDependentNotice layerName={layer.producer} />;

  const removed = split.dependentChannels[dependentIndex];
  const output = chosenOutput !== null && chosenOutput < view.kernel.outChannels ? chosenOutput : strongestReader(view.kernel, removed);
  const removedSlice = kernelSlice(view.kernel, removed, output);
  const rows = coefficientsOf(split, dependentIndex)
    .slice(0, SHOWN_KEPT)
    .map(({ channel, value }) => {
      const keptSlice = kernelSlice(view.kernel, channel, output);
      const addedSlice = removedSlice.map((weight) => value * weight);
      return { channel, value, keptSlice, addedSlice, resultSlice: addScaled(keptSlice, removedSlice, value) };
    });
  const sharedScale = maxAbs(removedSlice, ...rows.flatMap((row) => [row.keptSlice, row.resultSlice]));
  const figure = { rows: view.rows, cols: view.cols, size: view.rows * view.cols > 9 ? 120 : 84, scaleEachPicture, sharedScale };

  return (
    <>
      <p className="teaching-caption">
        {kernelCaption(view, layer.consumer)}
        {layer.readers.length > 1 && ` It is one of ${layer.readers.length} layers that read these channels; each of them gets the same change.`}{' '}
        Because the removed map is replaced by a sum of T × kept maps (exactly so when its residual is 0), its weights can move onto the kept maps:
        each kept map's weights get T times the removed weights added, and then the removed map and its weights are deleted. The next layer computes
        the same sum without ever seeing the removed map.
      </p>
      <div className="row">
        <DependentPicker split={split} dependentIndex={dependentIndex} />
        <OutputChannelPicker consumer={layer.consumer} noun={view.op === 'Conv2D' ? 'channel' : 'unit'} count={view.kernel.outChannels} value={output} />
      </div>
      <div className="teaching-equation">
        <MapFigure
          rows={view.rows}
          cols={view.cols}
          size={figure.size}
          scale={scaleEachPicture ? maxAbs(removedSlice) : sharedScale}
          values={removedSlice}
          role="dependent"
          label={`Weights of ${layer.consumer} for removed filter ${removed}`}
          caption={
            <>
              weights of removed #{removed}
              <br />
              {sliceNotation(view, removed, output)}
            </>
          }
          testId="teaching-removed-slice"
        />
      </div>
      <label className="teaching-option">
        <input type="checkbox" checked={scaleEachPicture} onChange={(event) => setScaleEachMap(event.currentTarget.checked)} /> Scale each picture to
        its own maximum (small multiples of T are then visible, but sizes no longer compare across pictures)
      </label>
      <h3>
        Where those weights go (the {countOf(rows.length, 'kept filter')} with the largest |T|)
      </h3>
      {rows.map((row) => (
        <SliceRow
          key={row.channel}
          keptChannel={row.channel}
          coefficient={row.value}
          keptSlice={row.keptSlice}
          addedSlice={row.addedSlice}
          resultSlice={row.resultSlice}
          notation={(prime) => sliceNotation(view, row.channel, output, prime)}
          {...figure}
        />
      ))}
      {split.dependentChannels.length > 1 && (
        <p className="muted">
          This layer removes {countOf(split.dependentChannels.length, 'filter')}, and each one adds its own multiple to the same kept weights.
        </p>
      )}
    </>
  );
}
