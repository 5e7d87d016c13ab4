import { useMemo } from 'react';
import { parseClassNames } from '../../core/data/labels';
import type { Predictions } from '../../core/metrics/predict';
import type { PruneOutcome } from '../../core/pipeline';
import { imageMaxDifference, topClasses } from '../../core/teaching/topClasses';
import { formatSmall, formatTolerance } from '../format';
import { useWorkbench } from '../store';
import { ImageThumbnail } from './ImageThumbnail';
import { OutputBars } from './OutputBars';
import { runProof, useProofOutcome } from './proofStore';
import type { TeachingSelection } from './useTeachingSelection';
import { countOf } from './plural';

const SHOWN_IMAGES = 4;

function className(classNames: string[], index: number): string {
  return classNames[index] ?? `class ${index}`;
}

function ImageComparison({ outcome, original, image, classNames }: { outcome: PruneOutcome; original: Predictions; image: number; classNames: string[] }) {
  const sample = useWorkbench((state) => state.images[image]);
  const [before] = topClasses(original, image, 1);
  const [after] = topClasses(outcome.pruned, image, 1);
  return (
    <figure className="teaching-proof-image" data-testid={`teaching-proof-image-${image}`}>
      <ImageThumbnail image={sample} size={72} />
      <OutputBars before={original} after={outcome.pruned} image={image} classNames={classNames} />
      <figcaption>
        {sample.path}: original says <strong>{className(classNames, before.classIndex)}</strong>, pruned says{' '}
        <strong>{className(classNames, after.classIndex)}</strong>; largest output change {formatSmall(imageMaxDifference(original, outcome.pruned, image), 2)}.
      </figcaption>
    </figure>
  );
}

function Summary({ outcome }: { outcome: PruneOutcome }) {
  const { comparison, removedFilters } = outcome;
  return (
    <p className={removedFilters > 0 ? 'banner ok' : 'banner warn'} data-testid="teaching-proof-summary">
      Removed {countOf(removedFilters, 'filter')} in all layers at tolerance {formatTolerance(outcome.tolerance)}. Over all {comparison.images} images the top
      class agrees on {comparison.top1Agreement}, and the largest output difference is{' '}
      <span data-testid="teaching-max-difference">{formatSmall(comparison.maxAbsDifference, 3)}</span>.
      {removedFilters === 0 && ' Nothing was removed, so the outputs are identical: raise the tolerance in step 2 to see a change.'}
    </p>
  );
}

/** Step 5: the network's outputs before and after pruning, on a few images and over all of them. */
export function ProofStep({ selection }: { selection: TeachingSelection }) {
  const analysis = useWorkbench((state) => state.analysis)!;
  const tolerance = useWorkbench((state) => state.tolerance);
  const imageCount = useWorkbench((state) => state.images.length);
  const classNamesText = useWorkbench((state) => state.classNamesText);
  const classNames = useMemo(() => parseClassNames(classNamesText), [classNamesText]);
  const { outcome, running, error } = useProofOutcome();
  const shownImages = Array.from({ length: Math.min(SHOWN_IMAGES, imageCount) }, (_, i) => (selection.imageIndex + i) % imageCount);

  return (
    <>
      <p className="teaching-caption">
        The test is the network's output: run the pruned network on the sample images and compare it with the original. With exact dependencies the
        outputs match up to rounding (differences near 1e-6); with a larger tolerance they drift, and the largest difference says by how much. The
        pruned network drops the dependent filters of every layer at this tolerance, not only those of the layer shown.
      </p>
      {!outcome && (
        <button className="primary" data-testid="teaching-run-proof" disabled={running} onClick={() => void runProof()}>
          {running ? 'Pruning and running…' : `Prune at ${formatTolerance(tolerance)} and compare outputs`}
        </button>
      )}
      {error && <p className="error">Pruning failed: {error}</p>}
      {outcome && (
        <>
          <Summary outcome={outcome} />
          <div className="teaching-proof-grid" data-testid="teaching-proof-outputs">
            {shownImages.map((image) => (
              <ImageComparison key={image} outcome={outcome} original={analysis.original} image={image} classNames={classNames} />
            ))}
          </div>
        </>
      )}
    </>
  );
}
