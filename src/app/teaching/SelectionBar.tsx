import { useWorkbench } from '../store';
import { ImageThumbnail } from './ImageThumbnail';
import { chooseImage, chooseLayer } from './teachingStore';
import type { TeachingSelection } from './useTeachingSelection';

/** Layer and image pickers shared by every step. */
export function SelectionBar({ selection }: { selection: TeachingSelection }) {
  const images = useWorkbench((state) => state.images);
  const { dependencies, chosen, imageIndex } = selection;

  return (
    <div className="row teaching-selection">
      <label>
        Layer{' '}
        <select data-testid="teaching-layer" value={chosen.layer.producer} onChange={(event) => chooseLayer(event.currentTarget.value)}>
          {dependencies.map(({ layer, split }) => (
            <option key={layer.producer} value={layer.producer}>
              {layer.writers.join(' + ')} ({split.dependentChannels.length} of {layer.channels} dependent)
            </option>
          ))}
        </select>
      </label>
      <label>
        Image{' '}
        <select data-testid="teaching-image" value={imageIndex} onChange={(event) => chooseImage(Number(event.currentTarget.value))}>
          {images.map((image, i) => (
            <option key={image.path} value={i}>
              {i + 1}. {image.path}
            </option>
          ))}
        </select>
      </label>
      {images[imageIndex] && <ImageThumbnail image={images[imageIndex]} size={48} testId="teaching-image-thumbnail" />}
    </div>
  );
}
