/**
 * public/demo/demo.json: the built-in demo models, written by the training
 * script (npm run train:demo) and read by the app.
 */
export interface DemoModelEntry {
  id: string;
  name: string;
  /** model.json path relative to demo.json. */
  path: string;
  scaling: 'unit';
  testAccuracy: number;
  trainedBy: 'npm run train:demo';
  /** False for a model the workbench cannot prune yet; the app offers only supported ones. */
  supported: boolean;
  note?: string;
  /** Dependent filters LinDeps finds at the default tolerance on the sample images, as the app should report them. */
  dependentFiltersAtDefaultTolerance?: number;
}

export interface DemoManifest {
  models: DemoModelEntry[];
  /** Sample set description file, relative to demo.json. */
  samples: string;
}
