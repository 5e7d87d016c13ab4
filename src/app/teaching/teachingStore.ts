import { create } from 'zustand';

export const STEP_COUNT = 5;

/** Choices made in the teaching view; each one is checked against the current analysis where it is read. */
export interface TeachingState {
  /** 0-based index of the visible step. */
  step: number;
  /** Producer name of the chosen layer; null means the default layer. */
  layerName: string | null;
  imageIndex: number;
  /** Original index of the chosen dependent channel; null means the first one in pivot order. */
  dependentChannel: number | null;
  /** Output channel of the consumer shown in step 4; null means the one that reads the dependent channel most. */
  outputChannel: number | null;
  /** Scale each feature map to its own maximum instead of the layer's. */
  scaleEachMap: boolean;
}

export const useTeaching = create<TeachingState>(() => ({
  step: 0,
  layerName: null,
  imageIndex: 0,
  dependentChannel: null,
  outputChannel: null,
  scaleEachMap: false,
}));

export function goToStep(step: number): void {
  useTeaching.setState({ step: Math.max(0, Math.min(STEP_COUNT - 1, step)) });
}

export function chooseLayer(layerName: string): void {
  if (useTeaching.getState().layerName === layerName) return;
  useTeaching.setState({ layerName, dependentChannel: null, outputChannel: null });
}

export function chooseImage(imageIndex: number): void {
  useTeaching.setState({ imageIndex });
}

export function chooseDependent(dependentChannel: number): void {
  useTeaching.setState({ dependentChannel, outputChannel: null });
}

export function chooseOutputChannel(outputChannel: number): void {
  useTeaching.setState({ outputChannel });
}

export function setScaleEachMap(scaleEachMap: boolean): void {
  useTeaching.setState({ scaleEachMap });
}
