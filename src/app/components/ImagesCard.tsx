import { useMemo } from 'react';
import { parseClassNames } from '../../core/data/labels';
import { inferShapes } from '../../core/graph/shapes';
import type { ModelGraph } from '../../core/graph/types';
import { imageLabels, clearImages, setClassNames } from '../actions';

function modelOutputSize(graph: ModelGraph): number {
  const shape = inferShapes(graph).get(graph.outputs[0])!;
  return shape[shape.length - 1];
}
import { useWorkbench } from '../store';

/** Sample images, the class list and how image labels map to class indices. */
export function ImagesCard() {
  const images = useWorkbench((state) => state.images);
  const imageErrors = useWorkbench((state) => state.imageErrors);
  const classNamesText = useWorkbench((state) => state.classNamesText);
  const model = useWorkbench((state) => state.model);
  const classCount = parseClassNames(classNamesText).length;
  const outputSize = model ? modelOutputSize(model.graph) : null;
  const matches = useMemo(() => imageLabels(), [images, classNamesText]);

  const labelled = matches.filter((match) => match.classIndex !== null).length;
  const byLabel = new Map(matches.map((match) => [match.label, match]));

  return (
    <section className="card">
      <h2>Sample images</h2>
      <p data-testid="image-count">
        {images.length} image{images.length === 1 ? '' : 's'}
        {images.length > 0 && ` · ${labelled} labelled`}
        {images.length > 0 && (
          <button className="link" onClick={clearImages}>
            clear
          </button>
        )}
      </p>
      {imageErrors.map((error) => (
        <p key={error} className="error">{error}</p>
      ))}
      <label htmlFor="class-names">
        Class names, one per line, in the model's output order. Labels come from each image's file-name prefix
        (<code>koala_2.jpeg</code> → koala) or its folder name.
      </label>
      <textarea
        id="class-names"
        data-testid="class-names"
        rows={5}
        value={classNamesText}
        placeholder={'airplane\nautomobile\n…'}
        onChange={(event) => setClassNames(event.currentTarget.value)}
      />
      {outputSize !== null && classCount > 0 && classCount !== outputSize && (
        <p className="error" role="alert" data-testid="class-count-mismatch">
          The class list has {classCount} names but the model has {outputSize} outputs; list one name per output, in order.
        </p>
      )}
      {images.length > 0 && labelled === 0 && (
        <p className="note">No image has a label that matches a class, so results show agreement with the original model instead of accuracy.</p>
      )}
      {images.length > 0 && classNamesText.trim() !== '' && (
        <details>
          <summary>
            Label mapping ({byLabel.size} label{byLabel.size === 1 ? '' : 's'})
          </summary>
          <table className="compact-table">
            <tbody>
              {[...byLabel.values()].map((match) => (
                <tr key={match.label}>
                  <td>{match.label || '(none)'}</td>
                  <td>
                    {match.classIndex !== null
                      ? `class ${match.classIndex}${match.how === 'partial' ? ' (partial name match)' : ''}`
                      : match.how === 'ambiguous'
                        ? `ambiguous: ${match.candidates.join(', ')}`
                        : 'no matching class'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
