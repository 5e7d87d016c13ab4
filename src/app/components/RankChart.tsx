import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LayerDependencies } from '../../core/analysis/layerDependencies';

/** Kept (rank) and dependent filters per layer as stacked bars. */
export function RankChart({ dependencies }: { dependencies: LayerDependencies[] }) {
  const data = dependencies.map(({ layer, split }) => ({
    layer: layer.producer,
    kept: split.rank,
    dependent: split.dependentChannels.length,
  }));
  return (
    <div className="chart" data-testid="rank-chart" role="img" aria-label="Kept and dependent filters per layer">
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="layer" />
          <YAxis allowDecimals={false} label={{ value: 'filters', angle: -90, position: 'insideLeft' }} />
          <Tooltip />
          <Legend />
          <Bar dataKey="kept" name="kept (rank)" stackId="filters" fill="#3b6ea8" isAnimationActive={false} />
          <Bar dataKey="dependent" name="dependent" stackId="filters" fill="#d9822b" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
