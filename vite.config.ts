import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer's build: dist/renderer/index.html and its assets, loaded from app:// (Electron) or
// the preview server. Relative asset paths work under both; the CSS is a file (the CSP has no
// 'unsafe-inline').
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2023',
    assetsInlineLimit: 0,
  },
});
