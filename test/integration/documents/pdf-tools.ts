import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { DocumentKind } from '../../../domain/documents';

/** Runs a poppler tool on PDF bytes given on stdin ('-'). */
function poppler(tool: string, args: string[], pdf: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(tool, [...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${tool} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
    child.stdin?.end(pdf);
  });
}

export const pdfText = (pdf: Buffer) => poppler('pdftotext', ['-enc', 'UTF-8', '-', '-'], pdf);
/** The text of one page (1-based). */
export const pdfPageText = (pdf: Buffer, page: number) => poppler('pdftotext', ['-enc', 'UTF-8', '-f', String(page), '-l', String(page), '-', '-'], pdf);
export const pdfInfo = (pdf: Buffer) => poppler('pdfinfo', ['-'], pdf);
export const pdfFonts = (pdf: Buffer) => poppler('pdffonts', ['-'], pdf);

export async function pageCount(pdf: Buffer): Promise<number> {
  const match = /^Pages:\s+(\d+)/mu.exec(await pdfInfo(pdf));
  return Number(match?.[1] ?? 0);
}

/** Text with all whitespace and the page numbers (— 1 —) removed, so wrapped lines join up. */
export function compactText(text: string): string {
  return text.replace(/\s+/gu, '').replace(/—\d+—/gu, '');
}

export function compact(value: string): string {
  return value.replace(/\s+/gu, '');
}

export interface DocumentSample {
  caseNo: string;
  agencyCode: string;
  agencyName: string;
  issuedAt: string;
  docNo: string;
  fields: Record<string, unknown>;
}

export function loadSample(kind: DocumentKind): DocumentSample {
  const file = path.resolve(__dirname, '../../../templates/samples', `${kind}.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as DocumentSample;
}

/** A loopback HTTP server that only counts requests: a page that reaches it has leaked. */
export async function startHitCounter(): Promise<{ port: number; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server = http.createServer((_request, response) => {
    hits += 1;
    response.writeHead(200, { 'content-type': 'text/css' }).end('body{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
