import { verifyDownload } from '../actions';
import { filesFromInput } from '../browserFiles';
import { useWorkbench } from '../store';
import { formatInteger, formatSmall } from '../format';
import { TaskProgress } from './TaskProgress';

/** Reloads downloaded files and compares them with the original model. */
export function VerifyCard() {
  const outcome = useWorkbench((state) => state.outcome);
  const task = useWorkbench((state) => state.verifyTask);
  const verification = useWorkbench((state) => state.verification);
  if (!outcome || outcome.removedFilters === 0) return null;

  return (
    <section className="card wide">
      <h2>Check a download</h2>
      <p className="muted">
        Pick the downloaded files: TF.js files are loaded with TensorFlow.js' own tf.loadLayersModel, ONNX files with ONNX Runtime
        Web, Keras files with the workbench's reader, and run on the sample images.
      </p>
      <input
        data-testid="verify-input"
        type="file"
        multiple
        onChange={(event) => {
          const list = event.currentTarget.files;
          if (list) void verifyDownload(filesFromInput(list));
          event.currentTarget.value = '';
        }}
      />
      <TaskProgress task={task} testId="verify" />
      {verification && (
        <dl className="facts" data-testid="verification">
          <dt>Loaded</dt>
          <dd>
            model <code data-testid="verify-model-name">{verification.modelName}</code> from {verification.fileNames.join(', ')} with{' '}
            <span data-testid="verify-loader">{verification.loadedWith}</span>,{' '}
            <span data-testid="verify-params">{formatInteger(verification.params)}</span> parameters; layer names{' '}
            {verification.layerNamesMatch ? 'unchanged' : 'CHANGED'}
          </dd>
          <dt>vs the original model</dt>
          <dd data-testid="verify-vs-original">
            top-1 agrees on {verification.versusOriginal.top1Agreement} / {verification.versusOriginal.images} images; max |difference|{' '}
            {formatSmall(verification.versusOriginal.maxAbsDifference, 3)}
          </dd>
          <dt>vs the workbench's pruned model</dt>
          <dd data-testid="verify-vs-workbench">max |difference| {formatSmall(verification.versusWorkbench.maxAbsDifference, 2)}</dd>
        </dl>
      )}
    </section>
  );
}
