import {
  PdfRenderer,
  RendererBusyError,
  RendererClosedError,
  RenderTimeoutError,
} from '../../../activities/documents/pdf-renderer';
import { compactText, pdfText, startHitCounter } from './pdf-tools';

// One page and a tiny queue make the pool's limits observable; restarts after 4 documents.
const renderer = new PdfRenderer({ poolSize: 1, maxQueue: 1, restartAfterDocuments: 4 });
afterAll(() => renderer.close());

const simple = (text: string) => `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>${text}</p></body></html>`;

describe('PdfRenderer', () => {
  // First in the file on purpose: a fresh page, with no CSP left from an earlier document,
  // so only request interception and the dead proxy stand between the page and the server.
  it('aborts every request of a page without CSP and runs none of its scripts', async () => {
    const server = await startHitCounter();
    const base = `http://127.0.0.1:${server.port}`;
    try {
      const html = `<!DOCTYPE html><html><head><meta charset="utf-8">
        <link rel="stylesheet" href="${base}/style.css">
        <style>@import url("${base}/import.css");
          @font-face { font-family: Remote; src: url("${base}/font.woff2"); }
          body { font-family: Remote, "AR PL UMing CN"; background: url("${base}/bg.png"); }</style>
        <script src="${base}/script.js"></script>
        </head><body><p id="p">远程资源测试</p><img src="${base}/x.png"><iframe src="${base}/frame.html"></iframe>
        <script>document.getElementById('p').textContent = 'SCRIPT RAN'; fetch("${base}/fetch");</script>
        </body></html>`;
      const pdf = await renderer.render(html);

      const text = compactText(await pdfText(pdf));
      expect(text).toContain('远程资源测试');
      expect(text).not.toContain('SCRIPTRAN');
      expect(renderer.stats.blockedRequests).toBeGreaterThanOrEqual(3);
      expect(server.hits()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('fails fast with RendererBusyError when the queue is full', async () => {
    const results = await Promise.allSettled([
      renderer.render(simple('一')),
      renderer.render(simple('二')),
      renderer.render(simple('三')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const rejected = results[2] as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(RendererBusyError);
    expect((rejected.reason as Error).name).toBe('RendererBusyError');
  });

  it('fails a slow render with RenderTimeoutError and recovers with a new page', async () => {
    const rows = Array.from({ length: 4000 }, (_, i) => `<tr><td>${i}</td><td>超时测试数据</td></tr>`).join('');
    await expect(renderer.render(simple(`<table>${rows}</table>`), { timeoutMs: 5 })).rejects.toBeInstanceOf(
      RenderTimeoutError,
    );
    const pdf = await renderer.render(simple('恢复正常'));
    expect(compactText(await pdfText(pdf))).toContain('恢复正常');
  });

  it('replaces the browser after restartAfterDocuments documents', async () => {
    const launchesBefore = renderer.stats.launches;
    for (let i = 0; i < 5; i += 1) await renderer.render(simple(`第${i}份`));
    expect(renderer.stats.launches).toBeGreaterThan(launchesBefore);
  });

  it('refuses work once closed', async () => {
    const closing = new PdfRenderer();
    await closing.close();
    await expect(closing.render(simple('x'))).rejects.toBeInstanceOf(RendererClosedError);
  });
});
