import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer-core';

/**
 * Chromium flags verified on our Debian machines (TECH.md §3), then two that make the browser
 * fail closed: every request, loopback included, goes to a proxy on the discard port.
 */
export const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-quic',
  '--mute-audio',
  '--font-render-hinting=none',
  '--proxy-server=127.0.0.1:9',
  '--proxy-bypass-list=<-loopback>',
] as const;

export interface PdfRendererOptions {
  /** Default: CHROMIUM_PATH, else /usr/bin/chromium. */
  executablePath?: string;
  /** Pages rendering at once; one per core is the measured sweet spot. Default 2. */
  poolSize?: number;
  /** Renders allowed to wait for a page; beyond that `render` fails fast. Default 32. */
  maxQueue?: number;
  /** From getting a page to having the PDF, launch included. Default 30 s. */
  renderTimeoutMs?: number;
  /** Documents after which the browser is replaced, to bound leaks. Default 500. */
  restartAfterDocuments?: number;
}

/** The queue is full; retry later (Temporal retries it as any activity failure). */
export class RendererBusyError extends Error {
  override readonly name = 'RendererBusyError';
}

/** One render took longer than renderTimeoutMs; its page is discarded. Retryable. */
export class RenderTimeoutError extends Error {
  override readonly name = 'RenderTimeoutError';
}

/** `close()` was called; this renderer takes no more work. */
export class RendererClosedError extends Error {
  override readonly name = 'RendererClosedError';
}

export interface PdfRendererStats {
  launches: number;
  rendered: number;
  failed: number;
  /** Requests the pages tried to make and we aborted (anything but data: URLs). */
  blockedRequests: number;
}

interface BrowserSession {
  browser: Browser;
  userDataDir: string;
  idlePages: Page[];
  active: number;
  rendered: number;
  retired: boolean;
  shutdown?: Promise<void>;
}

/**
 * One lazily launched Chromium per process with a pool of reused pages. Reusing a page through
 * setContent is what makes this fast (TECH.md §3: 2.5 docs/s with a page per document, 9 with
 * two reused pages); launching is far slower still. Pages never reach the network: requests
 * are intercepted and aborted, JavaScript is off, and the proxy flags catch anything left.
 */
export class PdfRenderer {
  private readonly executablePath: string;
  private readonly poolSize: number;
  private readonly maxQueue: number;
  private readonly renderTimeoutMs: number;
  private readonly restartAfterDocuments: number;

  private current?: BrowserSession;
  private launching?: Promise<BrowserSession>;
  private readonly sessions = new Set<BrowserSession>();
  private busySlots = 0;
  private readonly waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private closed = false;
  private readonly counters: PdfRendererStats = { launches: 0, rendered: 0, failed: 0, blockedRequests: 0 };

  constructor(options: PdfRendererOptions = {}) {
    this.executablePath = options.executablePath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    this.poolSize = positive(options.poolSize ?? 2, 'poolSize');
    this.maxQueue = nonNegative(options.maxQueue ?? 32, 'maxQueue');
    this.renderTimeoutMs = positive(options.renderTimeoutMs ?? 30_000, 'renderTimeoutMs');
    this.restartAfterDocuments = positive(options.restartAfterDocuments ?? 500, 'restartAfterDocuments');
  }

  get stats(): PdfRendererStats {
    return { ...this.counters };
  }

  /** Pool use right now, for the worker's metrics. */
  get usage(): { poolSize: number; busy: number; queued: number } {
    return { poolSize: this.poolSize, busy: this.busySlots, queued: this.waiting.length };
  }

  /** Renders a complete HTML document to an A4 PDF sized by its CSS @page rule. */
  async render(html: string, options: { timeoutMs?: number } = {}): Promise<Buffer> {
    if (this.closed) throw new RendererClosedError('PDF renderer is closed');
    const timeoutMs = positive(options.timeoutMs ?? this.renderTimeoutMs, 'timeoutMs');
    await this.acquireSlot();
    try {
      return await this.renderWithTimeout(html, timeoutMs);
    } finally {
      this.releaseSlot();
    }
  }

  /** Stops the browser(s) and fails queued renders. Safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) {
      waiter.reject(new RendererClosedError('PDF renderer closed while the render was queued'));
    }
    const launching = this.launching;
    if (launching) await launching.catch(() => undefined);
    await Promise.all([...this.sessions].map((session) => this.shutDown(session)));
  }

  private async acquireSlot(): Promise<void> {
    if (this.busySlots < this.poolSize) {
      this.busySlots += 1;
      return;
    }
    if (this.waiting.length >= this.maxQueue) {
      throw new RendererBusyError(
        `PDF renderer busy: ${this.busySlots} rendering and ${this.waiting.length} queued`,
      );
    }
    await new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private releaseSlot(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so busySlots stays as it is.
    if (next) next.resolve();
    else this.busySlots -= 1;
  }

  private async renderWithTimeout(html: string, timeoutMs: number): Promise<Buffer> {
    let page: Page | undefined;
    let session: BrowserSession | undefined;
    let timedOut = false;
    const work = (async () => {
      session = await this.currentSession();
      session.active += 1;
      page = session.idlePages.pop() ?? (await this.openPage(session));
      return this.renderOnPage(page, html, timeoutMs);
    })();

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new RenderTimeoutError(`PDF render exceeded ${timeoutMs} ms`));
      }, timeoutMs);
    });

    let succeeded = false;
    try {
      const pdf = await Promise.race([work, timeout]);
      succeeded = true;
      this.counters.rendered += 1;
      return pdf;
    } catch (error) {
      this.counters.failed += 1;
      throw error;
    } finally {
      clearTimeout(timer);
      if (timedOut) {
        // The page is still busy with the abandoned work; discard it once that settles.
        void work.then(
          () => this.finishPage(session, page, false),
          () => this.finishPage(session, page, false),
        );
      } else {
        this.finishPage(session, page, succeeded);
      }
    }
  }

  /** Returns a good page to the pool; a page that failed in any way is closed, not reused. */
  private finishPage(session: BrowserSession | undefined, page: Page | undefined, reusable: boolean): void {
    if (!session) return;
    session.active -= 1;
    session.rendered += 1;
    if (page) {
      if (reusable && !session.retired && !page.isClosed()) session.idlePages.push(page);
      else void page.close().catch(() => undefined);
    }
    if (session.rendered >= this.restartAfterDocuments) this.retire(session);
    if (session.retired && session.active === 0) void this.shutDown(session);
  }

  private async renderOnPage(page: Page, html: string, timeoutMs: number): Promise<Buffer> {
    await page.setContent(html, { waitUntil: 'load', timeout: timeoutMs });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      timeout: timeoutMs,
    });
    return Buffer.from(pdf);
  }

  private async openPage(session: BrowserSession): Promise<Page> {
    const page = await session.browser.newPage();
    try {
      await page.setJavaScriptEnabled(false);
      // Interception is set once per page; the handler lives as long as the page.
      await page.setRequestInterception(true);
      page.on('request', (request: HTTPRequest) => this.screen(request));
      // The JavaScript switch takes full effect on the next navigation.
      await page.goto('about:blank');
      return page;
    } catch (error) {
      await page.close().catch(() => undefined);
      throw error;
    }
  }

  private screen(request: HTTPRequest): void {
    if (request.isInterceptResolutionHandled()) return;
    if (request.url().startsWith('data:')) {
      void request.continue().catch(() => undefined);
      return;
    }
    this.counters.blockedRequests += 1;
    void request.abort('blockedbyclient').catch(() => undefined);
  }

  private async currentSession(): Promise<BrowserSession> {
    if (this.current && !this.current.retired) return this.current;
    if (!this.launching) {
      this.launching = this.launch().finally(() => {
        this.launching = undefined;
      });
    }
    return this.launching;
  }

  private async launch(): Promise<BrowserSession> {
    if (this.closed) throw new RendererClosedError('PDF renderer is closed');
    staleProfilesCleaned ??= removeStaleProfiles().catch(() => 0);
    await staleProfilesCleaned;
    const userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), `${profilePrefix}${process.pid}-`));
    let browser: Browser;
    try {
      browser = await puppeteer.launch({
        executablePath: this.executablePath,
        headless: true,
        userDataDir,
        args: [...chromiumFlags],
        pipe: true,
        timeout: this.renderTimeoutMs,
        // The worker owns shutdown and calls close(); Puppeteer must not add signal handlers.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (error) {
      await fs.rm(userDataDir, { recursive: true, force: true });
      throw error;
    }
    this.counters.launches += 1;
    const session: BrowserSession = { browser, userDataDir, idlePages: [], active: 0, rendered: 0, retired: false };
    this.sessions.add(session);
    browser.on('disconnected', () => {
      this.retire(session);
      void this.shutDown(session);
    });
    if (this.closed) {
      await this.shutDown(session);
      throw new RendererClosedError('PDF renderer is closed');
    }
    this.current = session;
    return session;
  }

  /** New renders go to a fresh browser; this one closes when its last render finishes. */
  private retire(session: BrowserSession): void {
    session.retired = true;
    if (this.current === session) this.current = undefined;
  }

  private shutDown(session: BrowserSession): Promise<void> {
    this.retire(session);
    session.shutdown ??= (async () => {
      session.idlePages.length = 0;
      if (session.browser.connected) {
        await withDeadline(session.browser.close(), 5_000).catch(() => undefined);
      }
      // A browser that did not close in time (or crashed half-way) must not outlive us.
      session.browser.process()?.kill('SIGKILL');
      await fs.rm(session.userDataDir, { recursive: true, force: true }).catch(() => undefined);
      this.sessions.delete(session);
    })();
    return session.shutdown;
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
  return value;
}

/** Our Chromium profile folders are `envcase-chromium-<owner pid>-<random>` in the temp folder. */
const profilePrefix = 'envcase-chromium-';
let staleProfilesCleaned: Promise<number> | undefined;

/**
 * Removes profile folders left by renderers whose process is gone (a killed worker never runs
 * its cleanup). Only folders with our prefix, and only when the owner pid (from the name, or
 * for older folders from Chromium's SingletonLock, `<host>-<pid>`) no longer runs; folders
 * whose owner cannot be told are left alone. Returns how many were removed.
 */
export async function removeStaleProfiles(directory = os.tmpdir()): Promise<number> {
  let removed = 0;
  for (const name of await fs.readdir(directory)) {
    if (!name.startsWith(profilePrefix)) continue;
    const folder = path.join(directory, name);
    const owner = /^envcase-chromium-(\d+)-/.exec(name)?.[1] ?? (await fs.readlink(path.join(folder, 'SingletonLock')).catch(() => '')).match(/-(\d+)$/)?.[1];
    if (!owner || isRunning(Number(owner))) continue;
    await fs.rm(folder, { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
