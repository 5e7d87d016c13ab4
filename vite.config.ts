import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  worker: { format: 'es' },
  // The HDF5 library for Keras exports is one 4.8 MB chunk, loaded only when an export runs.
  build: { target: 'es2022', chunkSizeWarningLimit: 5000 },
});
