import { useEffect } from 'react';
import { loadDemo } from '../demo';
import { useWorkbench } from '../store';

let startupLoadRequested = false;

/** Opens the page on the built-in demo and offers to go back to it after the user's own files. */
export function DemoBanner() {
  const demo = useWorkbench((state) => state.demo);
  const status = useWorkbench((state) => state.demoStatus);

  useEffect(() => {
    // StrictMode runs effects twice in development; load once.
    if (startupLoadRequested || useWorkbench.getState().model) return;
    startupLoadRequested = true;
    void loadDemo();
  }, []);

  if (status.phase === 'running') return <p className="banner" data-testid="demo-banner">Loading the built-in demo…</p>;
  if (status.phase === 'error') {
    return (
      <p className="banner warn" role="alert" data-testid="demo-banner">
        The built-in demo could not be loaded: {status.message}
      </p>
    );
  }
  if (!demo) {
    return (
      <p className="muted">
        <button className="link" data-testid="load-demo" onClick={() => void loadDemo()}>
          Load the built-in demo
        </button>{' '}
        (replaces the current model and images).
      </p>
    );
  }
  return (
    <p className="banner ok" data-testid="demo-banner">
      Built-in demo: <strong>{demo.entry.name}</strong>, trained by <code>{demo.entry.trainedBy}</code> to{' '}
      {(demo.entry.testAccuracy * 100).toFixed(1)}% test accuracy. Sample images: {demo.sampleSource}. Press
      Analyze, or drop your own model and images to replace it.
      {demo.others.map((other) => (
        <button key={other.id} className="link" data-testid={`demo-switch-${other.id}`} onClick={() => void loadDemo(other.id)}>
          Switch to {other.name}
        </button>
      ))}
    </p>
  );
}
