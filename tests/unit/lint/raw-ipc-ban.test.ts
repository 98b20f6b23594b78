import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The repository's own ESLint config: raw IPC is allowed only where the bridge contract is wired
// (ipcMain and webContents.send in src-main/electron/ipc.ts, ipcRenderer in the preload).
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const eslint = new ESLint({ cwd: ROOT });

async function restrictedSyntax(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages
    .filter((message) => message.ruleId === 'no-restricted-syntax')
    .map((message) => message.message);
}

const RAW_MAIN = `import { ipcMain, type WebContents } from 'electron';
ipcMain.handle('made-up', async () => 1);
ipcMain.on('made-up', () => undefined);
ipcMain.handleOnce('made-up', async () => 1);
export function push(webContents: WebContents) {
  webContents.send('made-up', 1);
}
`;
const RAW_VIA_MODULE = `import * as electron from 'electron';
electron.ipcMain.handle('made-up', async () => 1);
export const frame = (w: electron.BrowserWindow) => w.webContents.mainFrame.send('x');
`;
const RAW_RENDERER = `import { ipcRenderer } from 'electron';
export const leak = () => ipcRenderer.send('made-up');
`;

describe('raw IPC ban', () => {
  it('fires on every raw ipcMain use and send in another src-main/electron file', async () => {
    const messages = await restrictedSyntax('src-main/electron/notifications.ts', RAW_MAIN);
    expect(messages).toHaveLength(4);
    expect(messages.filter((m) => m.includes('registerBridge'))).toHaveLength(3);
    expect(messages.filter((m) => m.includes('forwardEvents'))).toHaveLength(1);
    expect(await restrictedSyntax('src-main/electron/new-file.ts', RAW_VIA_MODULE)).toHaveLength(2);
    expect(await restrictedSyntax('src-main/electron/main.ts', RAW_RENDERER)).toEqual([
      expect.stringContaining('forwardEvents'),
      expect.stringContaining('only in src-main/electron/preload.ts'),
    ]);
  });

  it('does not fire in ipc.ts, where the contract is wired', async () => {
    expect(await restrictedSyntax('src-main/electron/ipc.ts', RAW_MAIN)).toEqual([]);
  });

  it('lets only the preload use ipcRenderer', async () => {
    const preload = `import { ipcRenderer } from 'electron';
export const call = () => ipcRenderer.invoke('helpdesk:invoke:getSession', {});
`;
    expect(await restrictedSyntax('src-main/electron/preload.ts', preload)).toEqual([]);
    expect(await restrictedSyntax('src-main/electron/ipc.ts', preload)).toEqual([
      expect.stringContaining('only in src-main/electron/preload.ts'),
    ]);
    expect(await restrictedSyntax('src-main/electron/preload.ts', RAW_MAIN)).toHaveLength(4);
  });
});
