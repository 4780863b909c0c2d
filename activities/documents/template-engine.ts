import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import {
  amountInCapitals,
  amountInFigures,
  chineseDate,
  chineseOrdinal,
  complaintOutcomes,
  documentKindList,
  documentTitle,
  normalizeDocumentNumber,
  type DocumentKind,
} from '../../domain/documents';

export const defaultTemplatesDir = path.resolve(__dirname, '..', '..', 'templates');

/** What the frame prints; set by the engine so callers' fields cannot forge it. */
export interface DocumentFrame {
  docNo: string;
  caseNo: string;
  agencyName: string;
  /** ISO instant or date; printed as 2026年3月5日 in China time. */
  issuedAt: string;
}

export interface RenderedHtml {
  html: string;
  title: string;
  templateVersion: string;
}

interface Manifest {
  layout: string;
  partialsDir: string;
  documents: Record<string, { template: string; version: string }>;
}

interface CompiledKind {
  template: Handlebars.TemplateDelegate;
  version: string;
}

/**
 * Compiles the layout, partials and one template per kind once, in a private Handlebars
 * instance so that other code registering helpers cannot change what documents say.
 */
export class TemplateEngine {
  private readonly handlebars = Handlebars.create();
  private readonly kinds = new Map<DocumentKind, CompiledKind>();

  constructor(templatesDir: string = defaultTemplatesDir) {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(templatesDir, 'manifest.json'), 'utf8'),
    ) as Manifest;
    registerHelpers(this.handlebars);

    const frameSources: string[] = [];
    const layoutSource = fs.readFileSync(path.join(templatesDir, manifest.layout), 'utf8');
    this.handlebars.registerPartial('official-document', layoutSource);
    frameSources.push(`layout\0${layoutSource}`);

    const partialsDir = path.join(templatesDir, manifest.partialsDir);
    for (const file of fs.readdirSync(partialsDir).filter((f) => f.endsWith('.hbs')).sort()) {
      const source = fs.readFileSync(path.join(partialsDir, file), 'utf8');
      const name = path.basename(file, '.hbs');
      this.handlebars.registerPartial(name, source);
      frameSources.push(`${name}\0${source}`);
    }

    for (const kind of documentKindList) {
      const entry = manifest.documents[kind];
      if (!entry) throw new Error(`templates/manifest.json has no entry for document kind ${kind}`);
      const source = fs.readFileSync(path.join(templatesDir, entry.template), 'utf8');
      const hash = createHash('sha256')
        .update([...frameSources, `${kind}\0${source}`].join('\0'))
        .digest('hex')
        .slice(0, 12);
      this.kinds.set(kind, {
        // Not strict: optional fields are tested with {{#if}}; required ones are checked by
        // findMissingFields before anything renders.
        template: this.handlebars.compile(source, { preventIndent: true }),
        version: `${kind}@${entry.version}+${hash}`,
      });
    }
  }

  /** `{kind}@{manifest version}+{hash of layout, partials and kind template}` */
  templateVersion(kind: DocumentKind): string {
    return this.compiled(kind).version;
  }

  render(kind: DocumentKind, frame: DocumentFrame, fields: Record<string, unknown>): RenderedHtml {
    const compiled = this.compiled(kind);
    const title = documentTitle(kind, fields);
    // `document` is spread last: the frame always wins over a field of the same name.
    const data = { ...fields, document: { ...frame, kind, title } };
    const html = compiled.template(data, {
      allowProtoPropertiesByDefault: false,
      allowProtoMethodsByDefault: false,
    });
    return { html, title, templateVersion: compiled.version };
  }

  private compiled(kind: DocumentKind): CompiledKind {
    const compiled = this.kinds.get(kind);
    if (!compiled) throw new Error(`no template for document kind ${kind}`);
    return compiled;
  }
}

/**
 * Helpers return plain strings, which Handlebars escapes; none returns a SafeString, so no
 * helper can smuggle markup from user data into the page.
 */
function registerHelpers(handlebars: typeof Handlebars): void {
  handlebars.registerHelper('chineseDate', (value: unknown) =>
    typeof value === 'string' && value !== '' ? chineseDate(value) : '',
  );
  handlebars.registerHelper('docNumber', (value: unknown) =>
    typeof value === 'string' ? (normalizeDocumentNumber(value) ?? value) : '',
  );
  // GB/T 9704: a number cited in running text goes in round brackets.
  handlebars.registerHelper('citeDocNo', (value: unknown) =>
    typeof value === 'string' ? `（${normalizeDocumentNumber(value) ?? value}）` : '',
  );
  handlebars.registerHelper('amountInCapitals', (value: unknown) =>
    typeof value === 'number' || typeof value === 'string' ? amountInCapitals(value) : '',
  );
  handlebars.registerHelper('amountInFigures', (value: unknown) =>
    typeof value === 'number' || typeof value === 'string' ? amountInFigures(value) : '',
  );
  handlebars.registerHelper('ordinal', (index: unknown) =>
    typeof index === 'number' ? chineseOrdinal(index + 1) : '',
  );
  handlebars.registerHelper('inc', (index: unknown) => (typeof index === 'number' ? index + 1 : ''));
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  handlebars.registerHelper('join', (values: unknown, separator: unknown) =>
    Array.isArray(values) ? values.map(String).join(typeof separator === 'string' ? separator : '、') : '',
  );
  handlebars.registerHelper('paragraphs', (value: unknown) =>
    typeof value === 'string'
      ? value
          .split(/\r?\n/u)
          .map((line) => line.trim())
          .filter((line) => line !== '')
      : [],
  );
  handlebars.registerHelper('outcomeText', (value: unknown) =>
    typeof value === 'string' && value in complaintOutcomes
      ? complaintOutcomes[value as keyof typeof complaintOutcomes]
      : '',
  );
}
