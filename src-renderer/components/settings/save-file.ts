/** How long the file's blob URL stays valid: the download reads it after the click returns. */
const KEEP_URL_MS = 60_000;

/**
 * Hands text to the browser (or Electron's download handling) as a file: a Blob behind a
 * temporary <a download>. Nothing is fetched, so the Content-Security-Policy has no say in it.
 */
export function saveTextFile(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), KEEP_URL_MS);
}
