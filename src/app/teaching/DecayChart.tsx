import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis, type DotItemDotProps } from 'recharts';
import { formatSmall, formatTolerance } from '../format';
import { powerTicks, type DecayChartData, type DecayPoint } from './decayPoints';

const KEPT_COLOR = '#3b6ea8';
const DEPENDENT_COLOR = '#d9822b';

function PivotDot({ cx, cy, payload }: DotItemDotProps) {
  const point = payload as DecayPoint;
  if (cx === undefined || cy === undefined) return null;
  return (
    <circle
      cx={cx}
      cy={cy}
      r={6}
      fill={point.kept ? KEPT_COLOR : DEPENDENT_COLOR}
      stroke="white"
      strokeWidth={1.5}
      data-testid="teaching-pivot-dot"
      data-kept={point.kept}
    />
  );
}

function describePoint(point: DecayPoint): string {
  const ratio = point.ratio === 0 ? '0 (drawn at the bottom)' : formatSmall(point.ratio, 3);
  return `pick ${point.position + 1}: filter #${point.channel}, ratio ${ratio}, ${point.kept ? 'kept' : 'dependent'}`;
}

function chartSummary(points: DecayPoint[], tolerance: number): string {
  const kept = points.filter((point) => point.kept).length;
  const dependent = points.filter((point) => !point.kept).map((point) => `#${point.channel}`);
  const removed = dependent.length > 0 ? `the rest (${dependent.join(', ')}) are dependent` : 'none is dependent';
  return `New signal per pick, |R_kk| / |R_00|, for ${points.length} filters: the first ${kept} stay above tolerance ${formatTolerance(tolerance)}, ${removed}.`;
}

/** Plots |R_kk| / |R_00| in pivot order on a log axis, with the tolerance as a dashed horizontal line. */
export function DecayChart({ data, tolerance }: { data: DecayChartData; tolerance: number }) {
  return (
    <div className="chart" data-testid="teaching-decay-chart" role="img" aria-label={chartSummary(data.points, tolerance)}>
      <ResponsiveContainer width="100%" height={300}>
        <LineChart data={data.points} margin={{ top: 16, right: 24, bottom: 24, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="channel" padding={{ left: 16, right: 16 }} tickFormatter={(channel: number) => `#${channel}`} label={{ value: 'filters in pivot order', position: 'insideBottom', offset: -12 }} />
          <YAxis
            scale="log"
            domain={[data.floor, 2]}
            ticks={powerTicks(data.floor)}
            allowDataOverflow
            tickFormatter={(value: number) => formatTolerance(value)}
            label={{ value: '|R_kk| / |R_00|', angle: -90, position: 'insideLeft', offset: 0 }}
          />
          <Tooltip formatter={(_value, _name, item) => describePoint(item.payload as DecayPoint)} labelFormatter={() => ''} />
          {tolerance > 0 && (
            <ReferenceLine
              y={tolerance}
              stroke="#b3261e"
              strokeDasharray="6 4"
              strokeWidth={2}
              ifOverflow="extendDomain"
              label={{ value: `tolerance ${formatTolerance(tolerance)}`, position: 'insideTopLeft', fill: '#b3261e' }}
              className="teaching-tolerance-line"
            />
          )}
          <Line dataKey="plotted" stroke="#7a8699" strokeWidth={1.5} isAnimationActive={false} dot={PivotDot} activeDot={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
