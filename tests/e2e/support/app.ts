import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { AGENT, TENANT, type HostedService } from './hosted-service';
import { SCREENSHOTS } from './paths';

export interface SignInForm {
  serverUrl?: string;
  /** agent1's by default. */
  email?: string;
  password?: string;
  /** Upload the service's development CA (default true). */
  ca?: boolean;
}

/** "N pending" with exactly N, not a number that merely ends in N. */
export const pendingText = (n: number) => new RegExp(`(^|\\D)${n} pending`);
/** "#number" as the UI shows it, and not the start of a longer number. */
export const numberText = (n: number) => new RegExp(`#${n}(?!\\d)`);
/** One or more pending changes. */
export const SOME_PENDING = /(^|\D)[1-9]\d* pending/;

/**
 * The app as a person sees it, by the roles and names of the UI contract (/tmp/ui-contract.md,
 * kept in src-renderer): the sign-in form, the workspace's parts and the actions a test needs.
 */
export class App {
  constructor(
    readonly page: Page,
    /** The preview's address (a relaunched app has a new one). */
    public url: string,
    readonly service: HostedService,
  ) {}

  readonly signInHeading = () =>
    this.page.getByRole('heading', { level: 1, name: 'Sign in to your help desk' });
  readonly signInButton = () => this.page.getByRole('button', { name: 'Sign in', exact: true });
  readonly alert = () => this.page.getByRole('alert');
  readonly initialSyncHeading = () =>
    this.page.getByRole('heading', { level: 1, name: 'Setting up your help desk' });
  readonly progressBar = () => this.page.getByRole('progressbar', { name: 'Initial sync' });
  readonly statusBar = () => this.page.getByRole('status', { name: 'Sync status' });
  readonly syncNowButton = () => this.page.getByRole('button', { name: 'Sync now' });
  readonly views = () => this.page.getByRole('navigation', { name: 'Views' });
  readonly search = () => this.page.getByRole('searchbox', { name: 'Search tickets' });
  readonly list = () => this.page.getByRole('listbox', { name: 'Tickets' });
  readonly rows = () => this.list().getByRole('option');
  readonly pane = () => this.page.getByRole('region', { name: 'Ticket' });
  readonly field = (name: 'Status' | 'Priority' | 'Assignee' | 'Type') =>
    this.pane().getByRole('combobox', { name, exact: true });
  readonly addTag = () => this.pane().getByRole('textbox', { name: 'Add tag', exact: true });
  readonly removeTag = (tag: string) =>
    this.pane().getByRole('button', { name: `Remove tag ${tag}`, exact: true });
  readonly conversation = () => this.page.getByRole('list', { name: 'Conversation' });
  readonly comment = () => this.page.getByRole('textbox', { name: 'Comment', exact: true });
  readonly kind = (name: 'Public reply' | 'Internal note') =>
    this.page.getByRole('radio', { name, exact: true });
  readonly sendButton = () => this.page.getByRole('button', { name: 'Send', exact: true });
  readonly shortcuts = () => this.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  readonly notYetSynced = (scope: Locator) => scope.getByLabel('Not yet synced', { exact: true });
  /** The toast after a triage action (with its Undo). */
  readonly toast = () => this.page.getByRole('status', { name: 'Last action' });
  readonly undoButton = () => this.toast().getByRole('button', { name: 'Undo', exact: true });
  readonly bulkBar = () => this.page.getByRole('region', { name: 'Bulk actions' });
  readonly palette = () => this.page.getByRole('dialog', { name: 'Command palette' });
  readonly paletteInput = () =>
    this.palette().getByRole('combobox', { name: 'Command or ticket', exact: true });
  readonly heldReplies = () => this.pane().getByRole('region', { name: 'Held reply' });
  readonly needsAttention = () => this.pane().getByRole('region', { name: 'Needs attention' });
  /** A sidebar view by name, with its count ("Pending VIP 3"). */
  readonly viewButton = (name: string) =>
    this.views().getByRole('button', { name: new RegExp(`^${name} \\d+$`) });
  readonly settingsHeading = () => this.page.getByRole('heading', { level: 1, name: 'Settings' });
  readonly settingsTab = (name: string) =>
    this.page
      .getByRole('tablist', { name: 'Settings sections' })
      .getByRole('tab', { name, exact: true });
  /** A settings field's state ("Phone: Pending"); its data-state is pending or confirmed. */
  readonly fieldState = (label: string) =>
    this.page.getByRole('note', { name: new RegExp(`^${label}: (Pending|Confirmed)$`) });
  readonly confirmedCopy = () =>
    this.page.getByRole('region', { name: 'Confirmed by the service' });
  /** A field's value in "Confirmed by the service". */
  readonly confirmedValue = (label: string) =>
    this.confirmedCopy().locator(`dt:text-is("${label}") + dd`);

  async open(): Promise<void> {
    await this.page.goto(this.url);
    await expect(this.signInHeading()).toBeVisible();
  }

  async fillSignIn(form: SignInForm = {}): Promise<void> {
    const { page, service } = this;
    await page.getByLabel('Server URL', { exact: true }).fill(form.serverUrl ?? service.url);
    await page.getByLabel('Tenant', { exact: true }).fill(TENANT);
    await page.getByLabel('Email', { exact: true }).fill(form.email ?? AGENT.email);
    await page.getByLabel('Password', { exact: true }).fill(form.password ?? AGENT.password);
    if (form.ca ?? true) {
      await page.getByLabel('CA certificate (PEM)', { exact: true }).setInputFiles(service.caPath);
      await expect(page.getByRole('button', { name: 'Remove CA certificate' })).toBeVisible();
    }
  }

  /** Opens the app, signs in as agent1 with the service's CA, and waits for the workspace. */
  async signIn(form: SignInForm = {}): Promise<void> {
    await this.open();
    await this.fillSignIn(form);
    await this.signInButton().click();
    await this.waitForWorkspace();
  }

  /** From the workspace, by the topbar's Settings button. */
  async openSettings(tab?: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Settings', exact: true }).click();
    await expect(this.settingsHeading()).toBeVisible();
    if (tab) await this.settingsTab(tab).click();
  }

  /** Stops the service and waits for the app to say it is offline. */
  async goOffline(): Promise<void> {
    await this.service.stop();
    await this.syncNowButton().click();
    await expect(this.statusBar()).toContainText('Offline');
  }

  /** Starts the service again and waits until every change is sent. */
  async goOnline(): Promise<void> {
    await this.service.restart();
    await this.syncNowButton().click();
    await expect(this.statusBar()).toContainText(pendingText(0), { timeout: 20_000 });
    await expect(this.statusBar()).toContainText('Online');
  }

  /** Waits for the initial sync's progress bar to know its total (the first page is in). */
  async initialSyncTotal(): Promise<number> {
    const bar = this.progressBar();
    await expect(bar).toHaveAttribute('aria-valuemax', /^[1-9]\d*$/, { timeout: 20_000 });
    return Number(await bar.getAttribute('aria-valuemax'));
  }

  async waitForWorkspace(): Promise<void> {
    await expect(this.rows().first()).toBeVisible({ timeout: 30_000 });
    await expect(this.statusBar()).toContainText('Synced', { timeout: 30_000 });
  }

  /** The ticket number a row or the pane shows ("#123"). */
  async numberIn(locator: Locator): Promise<number> {
    const text = (await locator.textContent()) ?? '';
    const match = /#(\d+)/.exec(text);
    if (!match) throw new Error(`no ticket number in "${text}"`);
    return Number(match[1]);
  }

  /** The count a sidebar view shows. */
  async viewCount(name: string): Promise<number> {
    const label = (await this.viewButton(name).getAttribute('aria-label')) ?? '';
    return Number(/(\d+)$/.exec(label)?.[1] ?? Number.NaN);
  }

  /** The row of ticket #number in the list. */
  row(number: number): Locator {
    return this.rows().filter({ hasText: numberText(number) });
  }

  /** Clicks the first row and waits for its pane; returns its number. */
  async openFirstTicket(): Promise<number> {
    const number = await this.numberIn(this.rows().first());
    await this.openTicket(number);
    return number;
  }

  /**
   * Clicks the row of ticket #number until its pane shows it: a list re-sorting after a sync can
   * move another row under the pointer between Playwright's stability check and the click. Each
   * click is bounded: one that waits on a row being re-rendered, or on something over it, is
   * tried again instead of holding the test until its timeout (a CI failure showed no more).
   */
  async openTicket(number: number): Promise<void> {
    await expect(async () => {
      await this.row(number).click({ timeout: 5_000 });
      await expect(this.pane()).toContainText(numberText(number), { timeout: 2_000 });
    }).toPass();
  }

  /**
   * From the list, Shift+A: the pane of the next change that needs attention, whose ticket was
   * deleted meanwhile ("no longer exists", the change below it).
   */
  async openAttentionOfDeletedTicket(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Shift+A');
    await expect(this.pane().getByRole('alert')).toHaveText('This ticket no longer exists.');
  }

  /** Shift+T on the only change that needs attention: nothing is left to see to. */
  async dismissOnlyAttention(): Promise<void> {
    await this.page.keyboard.press('Shift+T');
    await expect(this.needsAttention()).toHaveCount(0);
    await expect(this.statusBar()).not.toContainText('attention');
  }

  /** Chooses the option of a native select whose text matches, by the mouse-free API. */
  async choose(select: Locator, text: RegExp): Promise<string> {
    const options = await select.evaluate((node) =>
      [...(node as HTMLSelectElement).options].map((o) => ({ value: o.value, text: o.text })),
    );
    const option = options.find((o) => text.test(o.text.trim()));
    if (!option) throw new Error(`no option ${text} in ${JSON.stringify(options)}`);
    await select.selectOption(option.value);
    return option.value;
  }

  /** The visible text of the selected option of a native select. */
  selectedText(select: Locator): Promise<string> {
    return select.evaluate((node) => {
      const s = node as HTMLSelectElement;
      return (s.selectedOptions[0]?.textContent ?? '').trim();
    });
  }

  async tag(tag: string): Promise<void> {
    await this.addTag().fill(tag);
    await this.addTag().press('Enter');
    await expect(this.removeTag(tag)).toBeVisible();
  }

  async sendComment(kind: 'Public reply' | 'Internal note', body: string): Promise<void> {
    await this.kind(kind).check();
    await this.comment().fill(body);
    await this.sendButton().click();
    await expect(this.conversation().getByRole('listitem').filter({ hasText: body })).toBeVisible();
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  }
}
