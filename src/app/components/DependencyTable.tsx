import { Fragment } from 'react';
import type { LayerDependencies } from '../../core/analysis/layerDependencies';
import { formatSmall, formatTolerance } from '../format';

/** Residual below which removing a filter is exact up to float32 rounding. */
const EXACT_RECONSTRUCTION = 1e-3;
/** Residual above which a "dependent" filter is not really reconstructed by the kept ones. */
const POOR_RECONSTRUCTION = 0.1;

function reconstructionNote(residual: number): string {
  if (residual < EXACT_RECONSTRUCTION) return ' (exact)';
  if (residual <= POOR_RECONSTRUCTION) return ' (approximate: outputs change slightly)';
  return ' (not a combination of the kept filters: chosen only because its map is weak; removing it changes outputs)';
}

function DependentFilters({ dependencies }: { dependencies: LayerDependencies }) {
  const { split } = dependencies;
  if (split.dependentChannels.length === 0) return <span className="muted">none</span>;
  const rank = split.rank;
  return (
    <table className="compact-table" data-testid={`dependents-${dependencies.layer.producer}`}>
      <thead>
        <tr>
          <th>filter</th>
          <th title="Why it was chosen: its pivot's |R_kk| relative to the strongest channel's |R_00|">|R_kk| / |R_00|</th>
          <th title="How well the kept maps reconstruct it: least-squares residual relative to its own norm">relative residual</th>
        </tr>
      </thead>
      <tbody>
        {split.dependentChannels.map((channel, j) => {
          const residual = split.relativeResiduals[j];
          const dead = split.columnNorms[j] === 0;
          return (
            <tr key={channel} data-testid={`dependent-${dependencies.layer.producer}-${channel}`}>
              <td>#{channel}</td>
              <td data-testid="diag-ratio">{formatSmall(split.diagRatios[rank + j], 2)}</td>
              <td data-testid="residual" className={residual > POOR_RECONSTRUCTION ? 'warn' : ''}>
                {dead ? 'dead (all zero): exact' : `${formatSmall(residual, 2)}${reconstructionNote(residual)}`}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Lists each prunable layer with its channels, numerical rank and dependent filters. */
export function DependencyTable({ dependencies, tolerance }: { dependencies: LayerDependencies[]; tolerance: number }) {
  return (
    <div className="table-scroll">
      <table className="results" data-testid="dependency-table">
        <caption>Dependent filters at tolerance {formatTolerance(tolerance)}</caption>
        <thead>
          <tr>
            <th>layer</th>
            <th>consumer</th>
            <th>channels</th>
            <th>rank</th>
            <th>dependent filters</th>
          </tr>
        </thead>
        <tbody>
          {dependencies.map((entry) => (
            <Fragment key={entry.layer.producer}>
              <tr data-testid={`layer-row-${entry.layer.producer}`}>
                <td>
                  <code>{entry.layer.writers.join(' + ')}</code>
                </td>
                <td>
                  <code>{entry.layer.readers.map((reader) => reader.consumer).join(', ')}</code>
                </td>
                <td data-testid="channels">{entry.layer.channels}</td>
                <td data-testid="rank">{entry.split.rank}</td>
                <td>
                  <DependentFilters dependencies={entry} />
                </td>
              </tr>
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
