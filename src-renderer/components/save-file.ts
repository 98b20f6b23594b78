/** How long the file's blob URL stays valid: the download reads it after the click returns. */
const KEEP_URL_MS = 60_000;

/**
 * Hands content to the browser (or Electron's download handling) as a file to save: a Blob behind
 * a temporary <a download>, never shown in the page. Nothing is fetched, so the
 * Content-Security-Policy has no say in it.
 */
export function saveFile(fileName: string, content: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), KEEP_URL_MS);
}
