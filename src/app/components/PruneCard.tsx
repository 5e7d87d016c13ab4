import { useEffect, useMemo } from 'react';
import type { ModelStats, PruneOutcome } from '../../core/pipeline';
import { chooseExportTarget, prune } from '../actions';
import { formatById } from '../../core/formats/registry';
import { downloadUrl } from '../browserFiles';
import { useWorkbench } from '../store';
import { formatInteger, formatPercentChange, formatSmall, formatTolerance } from '../format';
import { TaskProgress } from './TaskProgress';

function accuracyText(stats: ModelStats): string {
  if (!stats.accuracy) return 'no labels';
  const { correct, labelled } = stats.accuracy;
  return `${correct} / ${labelled} (${((100 * correct) / labelled).toFixed(1)}%)`;
}

function Results({ outcome }: { outcome: PruneOutcome }) {
  const { before, after, comparison } = outcome;
  return (
    <table className="results" data-testid="prune-results">
      <thead>
        <tr>
          <th />
          <th>before</th>
          <th>after</th>
          <th>change</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th>parameters</th>
          <td data-testid="params-before">{formatInteger(before.params)}</td>
          <td data-testid="params-after">{formatInteger(after.params)}</td>
          <td>{formatPercentChange(before.params, after.params)}</td>
        </tr>
        <tr>
          <th>FLOPs per image</th>
          <td data-testid="flops-before">{formatInteger(before.flops)}</td>
          <td data-testid="flops-after">{formatInteger(after.flops)}</td>
          <td>{formatPercentChange(before.flops, after.flops)}</td>
        </tr>
        <tr>
          <th>top-1 accuracy</th>
          <td data-testid="accuracy-before">{accuracyText(before)}</td>
          <td data-testid="accuracy-after">{accuracyText(after)}</td>
          <td />
        </tr>
        <tr>
          <th>top-1 agreement with the original</th>
          <td />
          <td data-testid="agreement">
            {comparison.top1Agreement} / {comparison.images}
          </td>
          <td />
        </tr>
        <tr>
          <th>max |output difference|</th>
          <td />
          <td data-testid="max-difference">{formatSmall(comparison.maxAbsDifference, 3)}</td>
          <td />
        </tr>
      </tbody>
    </table>
  );
}

function Downloads() {
  const model = useWorkbench((state) => state.model);
  const files = useWorkbench((state) => state.exportFiles);
  const task = useWorkbench((state) => state.exportTask);
  const chosenId = useWorkbench((state) => state.exportTargetId);
  const links = useMemo(() => (files ?? []).map((file) => ({ name: file.name, url: downloadUrl(file.bytes, file.mimeType), size: file.bytes.byteLength })), [files]);
  useEffect(() => () => links.forEach((link) => URL.revokeObjectURL(link.url)), [links]);
  if (!model) return null;
  const targets = formatById(model.format).exportTargets;
  const unavailable = model.unavailableExports ?? {};
  const target = targets.find((candidate) => candidate.id === chosenId) ?? targets[0];
  return (
    <div data-testid="downloads">
      <h3>Download the pruned model</h3>
      {targets.length > 1 && (
        <p className="row" role="radiogroup" aria-label="Export format">
          {targets.map((candidate) => (
            <label key={candidate.id}>
              <input
                type="radio"
                name="export-target"
                data-testid={`export-target-${candidate.id}`}
                checked={candidate.id === target.id}
                disabled={task.phase === 'running' || candidate.id in unavailable}
                title={unavailable[candidate.id]}
                onChange={() => void chooseExportTarget(candidate.id)}
              />{' '}
              {candidate.label}
            </label>
          ))}
        </p>
      )}
      {Object.entries(unavailable).map(([id, reason]) => (
        <p key={id} className="muted" data-testid={`export-unavailable-${id}`}>
          {targets.find((candidate) => candidate.id === id)?.label}: {reason}
        </p>
      ))}
      {task.phase === 'running' ? <p className="muted" data-testid="export-progress">{task.message}…</p> : <TaskProgress task={task} testId="export" />}
      {links.length > 0 && (
        <>
          <ul className="compact">
            {links.map((link, i) => (
              <li key={link.name}>
                <a href={link.url} download={link.name} data-testid={`download-${i}`}>
                  {link.name}
                </a>{' '}
                <span className="muted">({formatInteger(link.size)} bytes)</span>
              </li>
            ))}
          </ul>
          <p className="muted" data-testid="how-to-load">
            {targets.length === 1 && `${target.label}. `}
            {target.howToLoad}
          </p>
        </>
      )}
    </div>
  );
}

export function PruneCard() {
  const analysis = useWorkbench((state) => state.analysis);
  const tolerance = useWorkbench((state) => state.tolerance);
  const task = useWorkbench((state) => state.pruneTask);
  const outcome = useWorkbench((state) => state.outcome);
  const toleranceError = useWorkbench((state) => state.toleranceError);
  if (!analysis) return null;

  return (
    <section className="card wide">
      <h2>Prune</h2>
      <p className="muted">
        Removes the dependent filters at tolerance {formatTolerance(tolerance)} and rewrites each consumer's kernel so the
        kept maps carry the removed ones' signal; no fine-tuning.
      </p>
      <button className="primary" data-testid="prune-button" disabled={task.phase === 'running' || toleranceError !== null} onClick={() => void prune()}>
        Prune at {formatTolerance(tolerance)}
      </button>
      <TaskProgress task={task} testId="prune" />
      {outcome && outcome.removedFilters === 0 && (
        <p className="banner warn" data-testid="nothing-removed">
          No filters were removed at tolerance {formatTolerance(outcome.tolerance)}: the model is unchanged and there is nothing
          to download.
        </p>
      )}
      {outcome && outcome.removedFilters > 0 && (
        <p className="banner ok" data-testid="removed-summary">
          Removed {outcome.removedFilters} filter{outcome.removedFilters === 1 ? '' : 's'} at tolerance {formatTolerance(outcome.tolerance)}.
        </p>
      )}
      {outcome && <Results outcome={outcome} />}
      {outcome && outcome.removedFilters > 0 && <Downloads />}
    </section>
  );
}
