import { useState, type DragEvent } from 'react';
import { addFiles } from '../actions';
import { filesFromDrop, filesFromInput } from '../browserFiles';

/** Accepts model files, images and a class list, by drop, file picker or folder picker. */
export function DropZone() {
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);

  const receive = async (load: () => Promise<Parameters<typeof addFiles>[0]>) => {
    setBusy(true);
    try {
      await addFiles(await load());
    } finally {
      setBusy(false);
    }
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const transfer = event.dataTransfer;
    void receive(() => filesFromDrop(transfer));
  };

  return (
    <div
      className={`dropzone${dragging ? ' dragging' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <p>
        <strong>Drop files or folders here:</strong> a TF.js <code>model.json</code> with its weight shards, sample images (PNG or
        JPEG) and, optionally, a class list (<code>.txt</code>, one class name per line).
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
              const list = event.currentTarget.files;
              if (list) void receive(async () => filesFromInput(list));
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
              const list = event.currentTarget.files;
              if (list) void receive(async () => filesFromInput(list));
              event.currentTarget.value = '';
            }}
          />
        </label>
        {busy && <span className="muted">Reading files…</span>}
      </div>
    </div>
  );
}
