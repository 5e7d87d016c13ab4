import { useEffect, useState } from 'react';
import { addFiles } from '../actions';
import { filesFromDrop, filesFromInput, type PickedFile } from '../browserFiles';
import { useWorkbench } from '../store';

/**
 * Accepts model files, images and a class list by file picker, folder picker,
 * or a drop anywhere on the page, so a drop that misses the box does not make
 * the browser open the file and lose the work.
 */
export function DropZone() {
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const notices = useWorkbench((state) => state.dropNotices);

  const receive = async (load: () => Promise<PickedFile[]>) => {
    setBusy(true);
    try {
      await addFiles(await load());
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    const onDragOver = (event: DragEvent) => {
      event.preventDefault();
      setDragging(true);
    };
    const onDragLeave = (event: DragEvent) => {
      if (event.relatedTarget === null) setDragging(false);
    };
    const onDrop = (event: DragEvent) => {
      event.preventDefault();
      setDragging(false);
      const transfer = event.dataTransfer;
      if (transfer) void receive(() => filesFromDrop(transfer));
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, []);

  const onPick = (list: FileList | null) => {
    if (list) void receive(async () => filesFromInput(list));
  };

  return (
    <div className={`dropzone${dragging ? ' dragging' : ''}`}>
      <p>
        <strong>Drop files or folders anywhere on this page:</strong> a model (a TF.js <code>model.json</code> with its weight
        shards, a Keras <code>.keras</code> or <code>.h5</code> file, or an ONNX <code>.onnx</code> file), sample images (PNG or JPEG) and, optionally, a class list (<code>.txt</code>, one class name per line).
      </p>
      <div className="row">
        <label className="button">
          Choose files…
          <input
            data-testid="file-input"
            type="file"
            multiple
            hidden
            onChange={(event) => {
              onPick(event.currentTarget.files);
              event.currentTarget.value = '';
            }}
          />
        </label>
        <label className="button">
          Choose a folder…
          <input
            type="file"
            hidden
            webkitdirectory=""
            onChange={(event) => {
              onPick(event.currentTarget.files);
              event.currentTarget.value = '';
            }}
          />
        </label>
        {busy && <span className="muted">Reading files…</span>}
      </div>
      {notices.map((notice) => (
        <p key={notice} className="error" role="alert" data-testid="drop-notice">
          {notice}
        </p>
      ))}
    </div>
  );
}
