import { Bar, BarChart, CartesianGrid, Legend, XAxis, YAxis } from 'recharts';
import type { Predictions } from '../../core/metrics/predict';
import { imageOutputs, topClasses } from '../../core/teaching/topClasses';

const SHOWN_CLASSES = 3;

/** Charts the original model's top classes for one image, with the original and pruned outputs side by side. */
export function OutputBars({ before, after, image, classNames }: { before: Predictions; after: Predictions; image: number; classNames: string[] }) {
  const pruned = imageOutputs(after, image);
  const data = topClasses(before, image, SHOWN_CLASSES).map(({ classIndex, value }) => ({
    name: classNames[classIndex] ?? `class ${classIndex}`,
    before: value,
    after: pruned[classIndex],
  }));

  return (
    <BarChart width={300} height={150} data={data} margin={{ top: 4, right: 8, bottom: 4, left: 0 }}>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey="name" interval={0} tick={{ fontSize: 11 }} />
      <YAxis width={44} tick={{ fontSize: 11 }} />
      <Legend wrapperStyle={{ fontSize: 12 }} />
      <Bar dataKey="before" name="original" fill="#3b6ea8" isAnimationActive={false} />
      <Bar dataKey="after" name="pruned" fill="#d9822b" isAnimationActive={false} />
    </BarChart>
  );
}
