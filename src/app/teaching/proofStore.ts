import { create } from 'zustand';
import { pruneAndEvaluate, type ModelAnalysis, type PruneOutcome } from '../../core/pipeline';
import { imageLabels } from '../actions';
import { useWorkbench } from '../store';

/** A pruning computed from the teaching view, valid for the analysis and tolerance it was made for. */
interface ProofState {
  analysis: ModelAnalysis | null;
  tolerance: number | null;
  outcome: PruneOutcome | null;
  running: boolean;
  error: string | null;
}

export const useProof = create<ProofState>(() => ({ analysis: null, tolerance: null, outcome: null, running: false, error: null }));

/** Counts runs so that only the latest one stores its result. */
let latestRun = 0;

/** Prunes every layer at the current tolerance and evaluates the pruned network on the sample images. */
export async function runProof(): Promise<void> {
  const { model, analysis, images, tolerance, scaling, batchSize } = useWorkbench.getState();
  const proof = useProof.getState();
  if (!model || !analysis) return;
  if (proof.running && proof.analysis === analysis && proof.tolerance === tolerance) return;
  const run = ++latestRun;
  useProof.setState({ analysis, tolerance, outcome: null, running: true, error: null });
  try {
    const labels = imageLabels().map((match) => match.classIndex);
    const outcome = await pruneAndEvaluate(model.graph, analysis, tolerance, images, labels, { scaling, batchSize });
    if (run === latestRun) useProof.setState({ outcome, running: false });
  } catch (error) {
    if (run === latestRun) useProof.setState({ running: false, error: (error as Error).message });
  }
}

/** Returns the pruning to show. That is the Prune panel's when it matches the current tolerance, else the one computed here. */
export function useProofOutcome(): { outcome: PruneOutcome | null; running: boolean; error: string | null } {
  const analysis = useWorkbench((state) => state.analysis);
  const tolerance = useWorkbench((state) => state.tolerance);
  const storeOutcome = useWorkbench((state) => state.outcome);
  const proof = useProof();
  if (storeOutcome && storeOutcome.tolerance === tolerance) return { outcome: storeOutcome, running: false, error: null };
  const current = proof.analysis === analysis && proof.tolerance === tolerance;
  return { outcome: current ? proof.outcome : null, running: current && proof.running, error: current ? proof.error : null };
}
