import { AnalysisCard } from './components/AnalysisCard';
import { DemoBanner } from './components/DemoBanner';
import { DependenciesCard } from './components/DependenciesCard';
import { DropZone } from './components/DropZone';
import { ImagesCard } from './components/ImagesCard';
import { ModelCard } from './components/ModelCard';
import { PreprocessingCard } from './components/PreprocessingCard';
import { PruneCard } from './components/PruneCard';
import { VerifyCard } from './components/VerifyCard';
import { TeachingView } from './teaching/TeachingView';

export function App() {
  return (
    <main>
      <header>
        <h1>LinDeps Workbench</h1>
        <p className="muted">
          Finds convolution filters whose feature maps are linear combinations of the others (pivoted QR), removes them and
          rewrites the next layer so the output stays the same, with no fine-tuning.
        </p>
      </header>
      <DemoBanner />
      <DropZone />
      <div className="grid">
        <ModelCard />
        <ImagesCard />
        <PreprocessingCard />
        <AnalysisCard />
      </div>
      <DependenciesCard />
      <TeachingView />
      <PruneCard />
      <VerifyCard />
    </main>
  );
}
